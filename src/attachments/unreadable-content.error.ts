/** A file's contents cannot be read through, so what it holds cannot be weighed (`readableLines`). */
export class UnreadableContentError extends Error {}

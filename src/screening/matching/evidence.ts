/** One piece of evidence beside the name: how much it moves the score, and why, in a screener's words. */
export interface Evidence {
  adjustment: number;
  reason: string;
}

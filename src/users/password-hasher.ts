import { Algorithm, hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** argon2id with OWASP's recommended parameters. */
export const passwordHasher = {
  hash: (password: string): Promise<string> => hash(password, OPTIONS),
  verify: (passwordHash: string, password: string): Promise<boolean> =>
    verify(passwordHash, password).catch(() => false),
};

let dummyHash: Promise<string> | undefined;

/** Verifies against a throwaway hash so an unknown username costs as much time as a wrong password. */
export async function spendVerificationTime(password: string): Promise<void> {
  dummyHash ??= passwordHasher.hash('not-a-real-password-only-for-timing');
  await passwordHasher.verify(await dummyHash, password);
}

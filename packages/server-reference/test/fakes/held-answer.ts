// A provider's answer held back by a fake: the request is carried out, the answer sent when the
// test says, so a test can act while the server's call to the provider is still in flight.

/** A request carried out but not yet answered (see `holdNextAnswer`): what it created, and the answer's release. */
export interface HeldAnswer<T> {
  /** Resolves with what the request created, once it has. */
  accepted: Promise<T>;
  /** Sends the answer. */
  answer: () => void;
}

/** Plans a held answer: returns the test's handle and the fake's side of it. */
export function holdAnswer<T>(): { handle: HeldAnswer<T>; accept: (created: T) => Promise<void> } {
  let accept!: (created: T) => void;
  let answer!: () => void;
  const accepted = new Promise<T>((resolve) => (accept = resolve));
  const answered = new Promise<void>((resolve) => (answer = resolve));
  return { handle: { accepted, answer }, accept: (created) => (accept(created), answered) };
}

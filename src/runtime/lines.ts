import { InputError } from "../errors.ts";

/** Far longer than a pasted redirect URL; a bound on input that never ends a line (`< /dev/zero`). */
const MAX_LINE_LENGTH = 1024 * 1024;

/**
 * The lines of a byte stream (UTF-8), without their line ends, as they arrive; the last
 * one even without a final newline. Reading stops, and the stream is released, when the
 * caller stops asking, or with an InputError at a line longer than `maxLength` characters.
 */
export async function* readLines(stream: ReadableStream<Uint8Array>, maxLength = MAX_LINE_LENGTH): AsyncGenerator<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n")) >= 0) {
        yield buffered.slice(0, end).replace(/\r$/, "");
        buffered = buffered.slice(end + 1);
      }
      if (buffered.length > maxLength) throw new InputError(`a line of input is longer than ${maxLength} characters`);
      if (done) break;
    }
    if (buffered !== "") yield buffered.replace(/\r$/, "");
  } finally {
    // Not awaited: a terminal's stdin may not settle a cancel until its next line.
    void reader.cancel().catch(() => {});
  }
}

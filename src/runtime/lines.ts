/**
 * The lines of a byte stream (UTF-8), without their line ends, as they arrive; the last
 * one even without a final newline. Reading stops, and the stream is released, when the
 * caller stops asking.
 */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
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
      if (done) break;
    }
    if (buffered !== "") yield buffered.replace(/\r$/, "");
  } finally {
    // Not awaited: a terminal's stdin may not settle a cancel until its next line.
    void reader.cancel().catch(() => {});
  }
}

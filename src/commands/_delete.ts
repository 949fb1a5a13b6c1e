// Deleting several resources by ID, one request after another: `delete client A B` and
// `delete jwks A B`, in both word orders. A module of its own, not part of _shared.ts, so
// that the commands that delete nothing do not load it.
import { type CommandContext, stopOnInterrupt } from "../cli/context.ts";
import { errorLine, HydractlError, InterruptedError, OutputError, outputFailureOf, outputTrouble, PartialFailureError } from "../errors.ts";
import { mayHaveReachedServer } from "../http/api.ts";
import type { ShownRequests } from "./_shared.ts";

export interface Deletion {
  /** What the items are, in messages: "clients", "JSON Web Key Sets". */
  noun: string;
  /** Reads one item before it is deleted (that it exists); throws a HydractlError when it cannot. */
  check?(item: string): Promise<void>;
  /** Deletes one item; throws a HydractlError when it could not. */
  remove(item: string): Promise<void>;
  /** Shows one deletion as it happens (Hydra v1.8's line per item). */
  printEach?(item: string): Promise<void>;
  /** Shows every deletion at the end (Hydra v2's table), when there was any. */
  printAll?(deleted: string[]): Promise<void>;
  /** Ends the retries under way, at the first Ctrl+C (ApiClient.stopRetrying). */
  stopRetrying(): void;
  /** A dry run's requests, one per item, shown together at the end. */
  dryRun?: ShownRequests;
}

/**
 * Deletes every item, whatever happens to the others: an item that could not be deleted
 * gets a line on stderr and the next is tried. Ctrl+C ends the run after the deletion under
 * way, and so does output that cannot be written, since the next deletions could not be
 * shown either. What was and was not done is then one error line; exit 1.
 */
export async function deleteEach(given: readonly string[], context: CommandContext, deletion: Deletion): Promise<void> {
  const { noun, dryRun } = deletion;
  // An ID named twice is deleted once: the second request would find it gone and fail a
  // run that did all it was asked.
  const items = [...new Set(given)];
  const deleted: string[] = [];
  let failures = 0;
  // Failures whose request may have reached the server and taken effect: perhaps deleted.
  const uncertain: string[] = [];
  let attempted = 0;
  let outputFailure: OutputError | undefined;
  // What was and was not done, said when the run ends early: by a second Ctrl+C, or at its end.
  const which = () => (deleted.length ? ` (${deleted.join(", ")})` : "");
  const notAttempted = () => (attempted < items.length ? `; not attempted: ${items.slice(attempted).join(", ")}` : "");
  const quitting = () => {
    const underWay = attempted > deleted.length + failures ? `; ${items[attempted - 1]} under way, perhaps deleted` : "";
    return `quit at once: ${deleted.length} of ${items.length} ${noun} deleted${which()}${underWay}${notAttempted()}`;
  };
  const interrupted = items.length > 1 ? stopOnInterrupt(context.runtime, "finishing the deletion under way", quitting, () => deletion.stopRetrying()) : () => undefined;
  for (const item of items) {
    if (outputFailure || interrupted()) break;
    attempted++;
    let deleting = false;
    try {
      await deletion.check?.(item);
      deleting = true;
      await deletion.remove(item);
    } catch (error) {
      if (dryRun?.keep(error)) continue;
      // One item's failure is the command's, in one line: a count of one adds nothing.
      if (!(error instanceof HydractlError) || items.length === 1) throw error;
      failures++;
      if (deleting && mayHaveReachedServer(error)) uncertain.push(item);
      await context.runtime.writeStderr(`${errorLine(error)}\n`);
      continue;
    }
    deleted.push(item);
    outputFailure = await outputFailureOf(deletion.printEach?.(item));
  }
  dryRun?.stop();
  if (!outputFailure && deleted.length > 0) outputFailure = await outputFailureOf(deletion.printAll?.(deleted));

  const count = `${deleted.length} of ${items.length} ${noun} deleted`;
  const perhaps = uncertain.length ? ` (${uncertain.join(", ")} perhaps deleted: ${uncertain.length === 1 ? "its answer was" : "their answers were"} lost)` : "";
  const notDeleted = failures ? `, ${failures} not${perhaps}` : "";
  const allAttempted = attempted === items.length;
  if (outputFailure) {
    // A reader that went away (`| head`) with everything done lost only lines it did not want.
    const quiet = outputFailure.quiet && allAttempted && failures === 0;
    throw new OutputError(`${outputTrouble(outputFailure)}: ${count}${which()}${notDeleted}${notAttempted()}`, outputFailure.reason, { cause: outputFailure, quiet });
  }
  if (!allAttempted) throw new InterruptedError(`interrupted: ${count}${notDeleted}${notAttempted()}`, { signal: interrupted() });
  if (failures > 0) throw new PartialFailureError(`${failures} of ${items.length} ${noun} not deleted${perhaps}; ${deleted.length} deleted`);
}

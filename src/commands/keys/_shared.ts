// What the JSON Web Key commands share: the views each Hydra generation prints of key sets.
import { type Jwk, publicJwk } from "../../keys/jwk.ts";

/** A set's keys under the set's ID, as the commands print them (`--format json`). */
export interface NamedKeySet {
  set: string;
  keys: Jwk[];
}

/** The keys with their private members removed, for `--public` and for what import prints. */
export function publicOnly(named: NamedKeySet): NamedKeySet {
  return { set: named.set, keys: named.keys.map(publicJwk) };
}

const COLUMNS = ["SET ID", "KEY ID", "ALGORITHM", "USE"];

/** One row per key, each under its own set's ID. */
export function keyRows(sets: NamedKeySet[]): string[][] {
  return [COLUMNS, ...sets.flatMap(({ set, keys }) => keys.map((key) => [set, key.kid ?? "", key.alg ?? "", key.use ?? ""]))];
}

/** What `-q` prints for keys made or imported: their key IDs, as Hydra v2's -q does. */
export function keyIds({ keys }: NamedKeySet): string[] {
  const ids: string[] = [];
  for (const key of keys) if (key.kid) ids.push(key.kid);
  return ids;
}

/** Hydra v2's view of keys read back: one key as two columns, several as a table. */
export function keysTable(sets: NamedKeySet[]): string[][] {
  const rows = keyRows(sets);
  return rows.length === 2 ? COLUMNS.map((column, i) => [column, rows[1]![i]!]) : rows;
}

/** Hydra v1.8 printed answers as tab-indented JSON. */
export function legacyJson(value: unknown): string {
  return JSON.stringify(value, null, "\t");
}

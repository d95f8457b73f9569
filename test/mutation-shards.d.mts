// Types of test/mutation-shards.mjs (plain JavaScript, run by node in test/mutation.mjs).
export declare const SHARDS_DIR: string;
export declare function rowFiles(folder: string, otherFolders: readonly string[]): string[];
export declare function shardsOf(row: { folder: string; shards?: string[][] }, files: readonly string[]): string[][];
export declare function parseShard(value: string, count: number, freshness: readonly { state: string }[]): number;
export declare function importClosure(roots: readonly string[], root?: string): string[];
export interface Fingerprints {
  mutated: string;
  tests: string;
}
export declare function fingerprints(
  mutated: readonly string[],
  roots: readonly string[],
  settings: string,
  root?: string,
): Fingerprints;
export declare function expandTests(globs: readonly string[]): string[];
export declare function recordPath(folder: string, k: number): string;
export interface ShardState {
  k: number;
  files: string[];
  state: 'fresh' | 'stale' | 'missing';
  why?: string[];
  /** Test files added to the row since the record's run, when that is the only change (a lower bound). */
  added?: string[];
  record?: any;
  path: string;
}
export declare function freshness(
  folder: string,
  shards: readonly string[][],
  now: (files: string[], roots?: string[]) => Fingerprints,
  root?: string,
  roots?: readonly string[],
): ShardState[];
export declare function mergeShards(states: readonly ShardState[]): Record<string, any> & {
  score: number;
  survived: any[];
  shards: {
    count: number;
    fresh: number[];
    testsAdded?: { shard: number; files: string[] }[];
    stale: { shard: number; why: string[] }[];
    missing: number[];
  };
  complete: boolean;
};

/** Types of bin/launch.js, which is plain JavaScript because it must run before anything is compiled. */

/** First line of a bundle: this marker, then the JSON of a {@link BundleManifest}. */
export declare const MANIFEST_MARKER: string;

/** What a bundle's first line records. */
export interface BundleManifest {
  /** Names the build, and so its code cache file (dist/<name>.<id>.cache). */
  readonly id: string;
  /** When the build began (ms since the epoch): an input modified later makes the bundle stale. */
  readonly builtAt: number;
  /** The files it was built from, relative to the project directory. */
  readonly inputs: readonly string[];
}

export interface FreshBundle {
  readonly file: string;
  /** Its code cache file, dist/<name>.<id>.cache. */
  readonly cache: string;
  readonly source: string;
  readonly manifest: BundleManifest;
}

/** The bundle of a CLI, or undefined when it is missing or older than one of its inputs. */
export declare function freshBundle(name: string): FreshBundle | undefined;

/** Runs the CLI `name` from its bundle in dist/, or its TypeScript `source` through tsx when it has none. */
export declare function launch(name: string, source: string): void;

/** Runs the fresh bundle of `name` with `argv`, then writes the code V8 compiled to its cache file. */
export declare function writeCodeCache(name: string, argv: readonly string[]): Promise<void>;

/**
 * CloudTrail's digest public keys for a run: from `--public-keys` files (the
 * ListPublicKeys JSON) or from ListPublicKeys, asked once per region for the range
 * and cached for the run. Loads the CloudTrail SDK lazily.
 */
import type { KeyObject } from "node:crypto";
import { describeAwsError } from "../core/aws/aws_errors.ts";
import { errorMessage } from "../core/util/error_message.ts";
import type { Clock } from "../core/util/clock.ts";
import { parsePublicKeyList, type PublicKey } from "../core/digest/public_keys.ts";
import type { AwsClientSettings } from "./aws_options.ts";
import { createCloudTrailClient } from "./cloudtrail_api.ts";
import { pkcs1PublicKey } from "./digest_crypto.ts";
import { withRetries } from "./retry.ts";
import { readTextUpTo } from "./bounded_file.ts";

/** A key by fingerprint, or why there is none. */
export type KeyLookup = { ok: true; key: KeyObject } | { ok: false; issue: string };

/** Where the keys of a region come from. */
export type KeySource = (region: string) => Promise<PublicKey[]>;

/** Keys by fingerprint, fetched per region on first use and kept for the run. */
export class PublicKeyRing {
  readonly #source: KeySource;
  readonly #regions = new Map<string, Promise<Map<string, PublicKey>>>();
  readonly #objects = new Map<string, KeyObject | undefined>();

  constructor(source: KeySource) {
    this.#source = source;
  }

  /** The key with `fingerprint` for a digest of `region`. Source failures (denied, network) are thrown. */
  async lookup(region: string, fingerprint: string): Promise<KeyLookup> {
    let keys = this.#regions.get(region);
    if (!keys) {
      keys = this.#source(region).then((list) => new Map(list.map((k) => [k.fingerprint, k])));
      this.#regions.set(region, keys);
    }
    const key = (await keys).get(fingerprint.toLowerCase());
    if (!key) return { ok: false, issue: `public key not found for fingerprint ${fingerprint}` };
    if (!this.#objects.has(key.fingerprint)) this.#objects.set(key.fingerprint, pkcs1PublicKey(key.der));
    const object = this.#objects.get(key.fingerprint);
    return object ? { ok: true, key: object } : {
      ok: false,
      issue: `unable to load PKCS #1 key with fingerprint ${fingerprint}`,
    };
  }
}

/** Bytes read of a `--public-keys` file at most: a ListPublicKeys answer is a few kB. */
const MAX_KEY_FILE_BYTES = 16 << 20;

/** Keys from `--public-keys` files, for every region: fully offline. */
export function keysFromFiles(paths: string[]): Promise<KeySource> {
  const keys: PublicKey[] = [];
  for (const path of paths) {
    let text: string | undefined;
    try {
      text = readTextUpTo(path, MAX_KEY_FILE_BYTES);
    } catch (e) {
      // A read error (a directory: "Is a directory") names no path; opening one ("No such file") does.
      throw new Error(`Cannot read public keys from "${path}": ${errorMessage(e)}`, { cause: e });
    }
    if (text === undefined) {
      throw new Error(`Cannot read public keys from "${path}": more than 16 MiB (a ListPublicKeys answer is a few kB)`);
    }
    const parsed = parsePublicKeyList(text);
    if (!parsed.ok) throw new Error(`Cannot read public keys from "${path}": ${parsed.issue}`);
    keys.push(...parsed.keys);
  }
  return Promise.resolve(() => Promise.resolve(keys));
}

/** Options of {@link keysFromApi}. */
export interface ApiKeyOptions {
  settings: AwsClientSettings;
  range: { from: number; to: number };
  signal: AbortSignal;
  clock: Clock;
}

/** ListPublicKeys (every page) of each region for the range. */
export function keysFromApi(options: ApiKeyOptions): KeySource {
  return async (region) => {
    const { ListPublicKeysCommand } = await import("@aws-sdk/client-cloudtrail");
    const client = await createCloudTrailClient(options.settings, region);
    const keys: PublicKey[] = [];
    try {
      let token: string | undefined;
      do {
        const command = new ListPublicKeysCommand({
          StartTime: new Date(options.range.from),
          EndTime: new Date(options.range.to),
          ...(token ? { NextToken: token } : {}),
        });
        const page = await withRetries(() => client.send(command, { abortSignal: options.signal }), {
          attempts: 5,
          baseMs: 500,
          capMs: 10_000,
          signal: options.signal,
          clock: options.clock,
        });
        for (const k of page.PublicKeyList ?? []) {
          if (k.Fingerprint && k.Value) keys.push({ fingerprint: k.Fingerprint.toLowerCase(), der: k.Value });
        }
        token = page.NextToken;
      } while (token);
    } catch (error) {
      throw new Error(
        describeAwsError(error, {
          doing: `listing the digest public keys of ${region}`,
          permission: "cloudtrail:ListPublicKeys",
          resource: "*",
        }),
        { cause: error },
      );
    } finally {
      client.destroy();
    }
    return keys;
  };
}

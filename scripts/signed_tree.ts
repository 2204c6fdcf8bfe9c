/**
 * Signed CloudTrail trees for validate's tests and benchmark: log files and hourly digests as
 * CloudTrail writes them (chain, backfill chain, empty hours, org layout), signed
 * SHA256withRSA with a key made here, held as S3 objects with metadata.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { sidecarText } from "../src/core/digest/digest_sidecar.ts";

/** A signing key and what ListPublicKeys says about it. */
export interface Signer {
  privateKey: KeyObject;
  der: Uint8Array;
  fingerprint: string;
}

/** An RSA key pair (node:crypto), its public half as PKCS#1 DER, fingerprinted by MD5 of the DER. */
export function makeSigner(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = new Uint8Array(publicKey.export({ format: "der", type: "pkcs1" }));
  return { privateKey, der, fingerprint: createHash("md5").update(der).digest("hex") };
}

/** The ListPublicKeys answer for `signers`, as the API (and `aws cloudtrail list-public-keys`) gives it. */
export function publicKeyList(signers: Signer[]): { PublicKeyList: Record<string, unknown>[] } {
  return {
    PublicKeyList: signers.map((s) => ({
      Value: btoa(String.fromCharCode(...s.der)),
      ValidityStartTime: 1577836800,
      ValidityEndTime: 1893456000,
      Fingerprint: s.fingerprint,
    })),
  };
}

/** An S3 object of the tree. */
export interface TreeObject {
  body: Uint8Array;
  metadata?: Record<string, string>;
}

/** Where one trail writes for one account and region. */
export interface TrailOptions {
  bucket: string;
  signer: Signer;
  account?: string;
  region?: string;
  prefix?: string;
  orgId?: string;
  trail?: string;
  homeRegion?: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const day = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${
    pad(d.getUTCMinutes())
  }`;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

interface ChainEnd {
  key: string;
  signature: string;
  sha256: string;
}

/** Writes one trail's log files and digests into `objects` (shared between trails of a bucket). */
export class SignedTrail {
  readonly #o: Required<Omit<TrailOptions, "orgId">> & { orgId?: string };
  readonly #ends: Record<"standard" | "backfill", ChainEnd | undefined> = { standard: undefined, backfill: undefined };

  constructor(readonly objects: Map<string, TreeObject>, options: TrailOptions) {
    this.#o = {
      account: "111122223333",
      region: "eu-west-1",
      prefix: "",
      trail: "main_trail",
      homeRegion: "us-east-1",
      ...options,
    };
  }

  get #root(): string {
    const o = this.#o;
    return `${o.prefix}AWSLogs/${o.orgId ? `${o.orgId}/` : ""}${o.account}/`;
  }

  /** Adds a log file delivered at `at` with `records`; returns its key. */
  log(at: string, id: string, records: unknown[] = [{ eventID: id, eventTime: at }]): string {
    const d = new Date(at);
    const o = this.#o;
    const key = `${this.#root}CloudTrail/${o.region}/${day(d)}/${o.account}_CloudTrail_${o.region}_${
      stamp(d)
    }Z_${id}.json.gz`;
    this.objects.set(key, { body: gzipSync(new TextEncoder().encode(JSON.stringify({ Records: records }))) });
    return key;
  }

  /** Adds the digest of the hour ending at `end` naming `logKeys` (their current bytes), chained to the previous one. */
  digest(end: string, logKeys: string[], options: { backfill?: boolean; restart?: boolean } = {}): string {
    const o = this.#o;
    const e = new Date(end);
    const chain = options.backfill ? "backfill" : "standard";
    if (options.restart) this.#ends[chain] = undefined;
    const previous = this.#ends[chain];
    const name = `${o.account}_CloudTrail-Digest_${o.region}_${o.trail}_${o.homeRegion}_${stamp(e)}${
      pad(e.getUTCSeconds())
    }Z`;
    const key = `${this.#root}CloudTrail-Digest/${o.region}/${day(e)}/${name}${
      options.backfill ? "_backfill" : ""
    }.json.gz`;
    const logFiles = logKeys.map((k) => ({
      s3Bucket: o.bucket,
      s3Object: k,
      hashValue: createHash("sha256").update(gunzipped(this.objects.get(k)!.body)).digest("hex"),
      hashAlgorithm: "SHA-256",
      newestEventTime: iso(e),
      oldestEventTime: iso(e),
    }));
    const document = {
      awsAccountId: o.account,
      digestStartTime: iso(new Date(e.getTime() - 3_600_000)),
      digestEndTime: iso(e),
      digestS3Bucket: o.bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: o.signer.fingerprint,
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: logFiles.length ? iso(e) : null,
      oldestEventTime: logFiles.length ? iso(e) : null,
      previousDigestS3Bucket: previous ? o.bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.sha256 ?? null,
      previousDigestHashAlgorithm: previous ? "SHA-256" : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles,
    };
    const text = new TextEncoder().encode(JSON.stringify(document));
    const sha256 = createHash("sha256").update(text).digest("hex");
    const toSign = `${document.digestEndTime}\n${o.bucket}/${key}\n${sha256}\n${previous?.signature ?? "null"}`;
    const signature = createSign("RSA-SHA256").update(toSign).sign(o.signer.privateKey, "hex");
    this.objects.set(key, {
      body: gzipSync(text),
      metadata: { signature, "signature-algorithm": "SHA256withRSA" },
    });
    this.#ends[chain] = { key, signature, sha256 };
    return key;
  }
}

function gunzipped(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}

/** Replaces an object's bytes with gzipped `text` (a tampered log file or digest; metadata kept). */
export function tamper(objects: Map<string, TreeObject>, key: string, text = '{"Records":[]}'): void {
  const object = objects.get(key);
  if (!object) throw new Error(`no object ${key}`);
  objects.set(key, { ...object, body: gzipSync(new TextEncoder().encode(text)) });
}

/** Writes the tree below `root` as `download --with-digests` leaves it: files at their keys, sidecars beside digests. */
export function writeTree(objects: Map<string, TreeObject>, root: string, bucket: string): void {
  for (const [key, object] of objects) {
    const path = join(root, key);
    Deno.mkdirSync(dirname(path), { recursive: true });
    Deno.writeFileSync(path, object.body);
    if (object.metadata) {
      Deno.writeTextFileSync(
        path + ".sig.json",
        sidecarText({
          bucket,
          key,
          signature: object.metadata.signature ?? "",
          signatureAlgorithm: object.metadata["signature-algorithm"] ?? "",
        }),
      );
    }
  }
}

/** Uploads the tree with its metadata (the bucket must exist). */
export async function uploadObjects(client: S3Client, bucket: string, objects: Map<string, TreeObject>): Promise<void> {
  const entries = [...objects];
  for (let i = 0; i < entries.length; i += 32) {
    await Promise.all(
      entries.slice(i, i + 32).map(([key, o]) =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: o.body,
            ...(o.metadata ? { Metadata: o.metadata } : {}),
          }),
        )
      ),
    );
  }
}

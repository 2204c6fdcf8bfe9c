/** A model of the hash slim_scan.c gives reduced records, for tests that place records in its table. */

/** SipHash-1-3 with a 128-bit output, the first half (as slim_scan.c computes it): a model to place records. */
export function sipHashFirstHalf(bytes: Uint8Array, k: Uint32Array): bigint {
  const M = (1n << 64n) - 1n;
  const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & M;
  const key0 = (BigInt(k[1]!) << 32n) | BigInt(k[0]!), key1 = (BigInt(k[3]!) << 32n) | BigInt(k[2]!);
  let v0 = key0 ^ 0x736f6d6570736575n, v1 = key1 ^ 0x646f72616e646f6dn ^ 0xeen;
  let v2 = key0 ^ 0x6c7967656e657261n, v3 = key1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & M, v1 = rotl(v1, 13n), v1 ^= v0, v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M, v3 = rotl(v3, 16n), v3 ^= v2;
    v0 = (v0 + v3) & M, v3 = rotl(v3, 21n), v3 ^= v0;
    v2 = (v2 + v1) & M, v1 = rotl(v1, 17n), v1 ^= v2, v2 = rotl(v2, 32n);
  };
  const word = (at: number, n: number) => {
    let m = 0n;
    for (let i = n - 1; i >= 0; i--) m = (m << 8n) | BigInt(bytes[at + i]!);
    return m;
  };
  const whole = bytes.length & ~7;
  for (let at = 0; at < whole; at += 8) {
    const m = word(at, 8);
    v3 ^= m, round(), v0 ^= m;
  }
  const last = (BigInt(bytes.length) << 56n) | word(whole, bytes.length - whole);
  v3 ^= last, round(), v0 ^= last;
  v2 ^= 0xeen;
  round(), round(), round();
  return v0 ^ v1 ^ v2 ^ v3;
}

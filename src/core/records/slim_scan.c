/*
 * slim_scan: the elements of a JSON list (the text between `[` and `]` of a CloudTrail Records
 * document), validated as JSON.parse would and copied out with each object reduced to the
 * top-level keys a caller names. Compiled to WebAssembly by scripts/build_slim_scan.ts; the
 * JavaScript side is slim_records.ts.
 *
 * Exactness: it accepts what JSON.parse accepts for the same bytes (RFC 8259: strings without
 * raw control characters and with valid escapes, numbers without leading zeros, true/false/null,
 * space/tab/CR/LF between tokens), so that the reduced text parses if and only if the whole one
 * does. Anything it is not sure about returns -1 (the caller parses the chunk whole): nesting
 * deeper than MAX_DEPTH, a byte outside a string that is not JSON. A key with an escape is kept
 * (it may spell a wanted key); non-ASCII bytes inside strings are copied as they are (TextDecoder
 * then treats them as it would have in the whole text).
 *
 * Conditional keys are kept only in records whose text holds a marker (API Gateway's requestParameters: every API
 * Gateway record names "apigateway" in its event source), or a \u escape, which could spell the marker or the key.
 *
 * The input must be followed by at least 32 zero bytes: every read past the end meets a zero,
 * which no token accepts.
 */
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef unsigned int u32;

#define MAX_DEPTH 4096
static u8 stack[MAX_DEPTH];
static u32 newlines, last_newline, non_ascii;
/* Set by a \u escape in a string (it may spell any text); reset at the start of each record (reduce). */
static u32 unicode_escape;
static const u8 *base;

/* Of the last scan: line ends between tokens, where the last one was, and whether any byte was >= 0x80. */
u32 scan_newlines(void) { return newlines; }
u32 scan_last_newline(void) { return last_newline; }
u32 scan_non_ascii(void) { return non_ascii; }

static inline const u8 *ws(const u8 *p) {
  for (;;) {
    u8 c = *p;
    if (c == ' ' || c == '\t' || c == '\r') p++;
    else if (c == '\n') { newlines++; last_newline = (u32)(p - base); p++; }
    else return p;
  }
}

static inline int hex(u8 c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* p just after an opening quote: returns the byte after the closing quote, or 0. Sets *esc on a backslash. */
static inline const u8 *str(const u8 *p, u32 *esc) {
  const v128_t quote = wasm_i8x16_splat('"'), backslash = wasm_i8x16_splat('\\'), space = wasm_i8x16_splat(0x20);
  for (;;) {
    v128_t v = wasm_v128_load(p);
    v128_t special = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash)),
                                  wasm_u8x16_lt(v, space));
    u32 mask = wasm_i8x16_bitmask(special), high = wasm_i8x16_bitmask(v);
    if (mask == 0) { non_ascii |= high; p += 16; continue; }
    u32 at = __builtin_ctz(mask);
    non_ascii |= high & ((1u << at) - 1);
    p += at;
    u8 c = *p++;
    if (c == '"') return p;
    if (c != '\\') return 0; /* a raw control character */
    *esc = 1;
    c = *p++;
    if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't') continue;
    if (c == 'u' && hex(p[0]) && hex(p[1]) && hex(p[2]) && hex(p[3])) {
      unicode_escape = 1;
      p += 4;
      continue;
    }
    return 0;
  }
}

static inline int digit(u8 c) { return c >= '0' && c <= '9'; }

static const u8 *number(const u8 *p) {
  if (*p == '-') p++;
  if (*p == '0') p++;
  else if (*p >= '1' && *p <= '9') { while (digit(*p)) p++; }
  else return 0;
  if (*p == '.') {
    p++;
    if (!digit(*p)) return 0;
    while (digit(*p)) p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!digit(*p)) return 0;
    while (digit(*p)) p++;
  }
  return p;
}

static const u8 *literal(const u8 *p, const char *word, u32 n) {
  for (u32 i = 0; i < n; i++) if (p[i] != (u8)word[i]) return 0;
  return p + n;
}

/* A key and its colon: returns the start of the value (spaces skipped), or 0. */
static inline const u8 *member(const u8 *p) {
  u32 esc = 0;
  if (*p != '"') return 0;
  p = str(p + 1, &esc);
  if (!p) return 0;
  p = ws(p);
  if (*p != ':') return 0;
  return ws(p + 1);
}

/* Skips the value at p (no space before it): returns the byte after it, or 0. */
static const u8 *value(const u8 *p) {
  u32 depth = 0, esc;
  for (;;) {
    u8 c = *p;
    if (c == '{' || c == '[') {
      p = ws(p + 1);
      if (*p == (c == '{' ? '}' : ']')) {
        p++;
      } else {
        if (depth == MAX_DEPTH) return 0;
        stack[depth++] = c;
        if (c == '{' && !(p = member(p))) return 0;
        continue;
      }
    } else {
      if (c == '"') p = str(p + 1, &esc);
      else if (c == 't') p = literal(p, "true", 4);
      else if (c == 'f') p = literal(p, "false", 5);
      else if (c == 'n') p = literal(p, "null", 4);
      else p = number(p);
      if (!p) return 0;
    }
    for (;;) { /* after a value: close containers, or go on to the next element */
      if (depth == 0) return p;
      p = ws(p);
      u8 open = stack[depth - 1];
      if (*p == ',') {
        p = ws(p + 1);
        if (open == '{' && !(p = member(p))) return 0;
        break;
      }
      if (*p != (open == '{' ? '}' : ']')) return 0;
      depth--;
      p++;
    }
  }
}

static u8 *copy(u8 *out, const u8 *from, const u8 *to) {
  __builtin_memcpy(out, from, (unsigned long)(to - from));
  return out + (to - from);
}

/* What to do with a member: drop it, keep it, or keep it only when its record holds the marker text. */
enum { DROP, KEEP, CONDITIONAL };

/* keys: a count byte, then each key as a flag byte (1: conditional), a length byte and its bytes. */
static int wanted(const u8 *key, u32 length, const u8 *keys) {
  u32 n = *keys++;
  for (u32 i = 0; i < n; i++) {
    u32 flag = *keys++, l = *keys++;
    if (l == length) {
      u32 j = 0;
      while (j < l && keys[j] == key[j]) j++;
      if (j == l) return flag ? CONDITIONAL : KEEP;
    }
    keys += l;
  }
  return DROP;
}

static int contains(const u8 *in, u32 len, const u8 *needle, u32 n);

/* The text a record must hold for its conditional members to be kept (set by scan). */
static const u8 *marker;
static u32 marker_length;

/* Conditional members of one record, by their place in the output; more than this many: all are kept. */
#define MAX_CONDITIONAL 16

/*
 * Drops the record's conditional members from its output (ending at o) unless the record's text [from, to) holds the
 * marker, or a \u escape (which could spell it, or spell a conditional key). Returns the new end of the output.
 */
static u8 *drop_conditional(u8 *o, u8 *const *starts, u8 *const *ends, u32 n, const u8 *from, const u8 *to,
                            u32 escaped) {
  if (n == 0 || n > MAX_CONDITIONAL || escaped || contains(from, (u32)(to - from), marker, marker_length)) return o;
  u8 *w = starts[0];
  for (u32 i = 0; i < n; i++) {
    u8 *next = i + 1 < n ? starts[i + 1] : o;
    u32 keep = (u32)(next - ends[i]);
    __builtin_memmove(w, ends[i], keep);
    w += keep;
  }
  return w;
}

/*
 * An object at p ('{'): its wanted members copied to *out as an object. Returns the byte after it, or 0. Each member
 * is written with a comma before it; the first comma becomes the object's '{' at the end.
 */
static const u8 *reduce(const u8 *p, u8 **out, const u8 *keys) {
  u8 *rec = *out, *o = rec;
  u8 *starts[MAX_CONDITIONAL], *ends[MAX_CONDITIONAL];
  u32 conditional = 0;
  const u8 *from = p;
  unicode_escape = 0;
  p = ws(p + 1);
  if (*p != '}') {
    for (;;) {
      const u8 *key = p;
      u32 esc = 0;
      if (*p != '"' || !(p = str(p + 1, &esc))) return 0;
      const u8 *key_end = p;
      p = ws(p);
      if (*p != ':') return 0;
      const u8 *start = p = ws(p + 1);
      if (!(p = value(p))) return 0;
      int want = esc ? KEEP : wanted(key + 1, (u32)(key_end - key - 2), keys);
      if (want != DROP) {
        if (want == CONDITIONAL && conditional < MAX_CONDITIONAL) starts[conditional] = o;
        *o++ = ',';
        o = copy(o, key, key_end);
        *o++ = ':';
        o = copy(o, start, p);
        if (want == CONDITIONAL && conditional++ < MAX_CONDITIONAL) ends[conditional - 1] = o;
      }
      p = ws(p);
      if (*p == '}') break;
      if (*p != ',') return 0;
      p = ws(p + 1);
    }
  }
  o = drop_conditional(o, starts, ends, conditional, from, p + 1, unicode_escape);
  if (o == rec) *o++ = '{';
  else *rec = '{';
  *o++ = '}';
  *out = o;
  return p + 1;
}

/*
 * Repeats: the reduced records already seen (since the caller last called repeats_start), so that a record reduced
 * to the same bytes as an earlier one is not written again, only its number. A reduced record is known by a keyed
 * 128-bit SipHash-1-3 of its bytes, of which 96 bits are kept; the key is the caller's (random per process), so no
 * input can be made to collide on purpose, and two different records collide by chance with a probability of about
 * n * n / 2^97 (10^-17 for 10^6 distinct records).
 *
 * The table: open addressing, 4 words a slot (three of the hash, then the record's number + 1; 0 when empty).
 */
typedef unsigned long long u64;
static u32 *table, table_mask, table_count, table_limit, next_id;
static u64 key0, key1;
/* Of the last scan: how many elements it read. */
static u32 elements;

u32 scan_elements(void) { return elements; }
u32 repeats_count(void) { return table_count; }

static inline u64 rotl(u64 x, u32 b) { return (x << b) | (x >> (64 - b)); }

#define SIPROUND                                                                                                       \
  do {                                                                                                                 \
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);                                                          \
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                                                                             \
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                                                                             \
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);                                                          \
  } while (0)

/* SipHash-1-3 with a 128-bit output (one round per 8 bytes, three at the end) of the n bytes at p. */
static void siphash(const u8 *p, u32 n, u64 *out0, u64 *out1) {
  u64 v0 = key0 ^ 0x736f6d6570736575ull, v1 = key1 ^ 0x646f72616e646f6dull ^ 0xee;
  u64 v2 = key0 ^ 0x6c7967656e657261ull, v3 = key1 ^ 0x7465646279746573ull;
  const u8 *end = p + (n & ~7u);
  for (; p != end; p += 8) {
    u64 m;
    __builtin_memcpy(&m, p, 8);
    v3 ^= m;
    SIPROUND;
    v0 ^= m;
  }
  u64 last = (u64)n << 56;
  for (u32 i = 0; i < (n & 7); i++) last |= (u64)p[i] << (8 * i);
  v3 ^= last;
  SIPROUND;
  v0 ^= last;
  v2 ^= 0xee;
  SIPROUND; SIPROUND; SIPROUND;
  *out0 = v0 ^ v1 ^ v2 ^ v3;
  v1 ^= 0xdd;
  SIPROUND; SIPROUND; SIPROUND;
  *out1 = v0 ^ v1 ^ v2 ^ v3;
}

/* The slot of hash (a, b, c) in a table: where it is, or the empty slot where it would go. */
static u32 *slot(u32 *t, u32 mask, u32 a, u32 b, u32 c) {
  for (u32 i = a & mask;; i = (i + 1) & mask) {
    u32 *s = t + 4 * i;
    if (s[3] == 0 || (s[0] == a && s[1] == b && s[2] == c)) return s;
  }
}

/* Starts an empty table of 2^bits slots at t (zeroed by the caller), with the hash key k0..k3 (low word first). */
void repeats_start(u32 *t, u32 bits, u32 k0, u32 k1, u32 k2, u32 k3) {
  table = t;
  table_mask = (1u << bits) - 1;
  table_limit = (table_mask + 1) / 8 * 7;
  table_count = 0;
  next_id = 0;
  key0 = (u64)k1 << 32 | k0;
  key1 = (u64)k3 << 32 | k2;
}

/*
 * Doubles the table in place: the caller has made room for 2^bits slots (twice as many) and zeroed the new half.
 * Each entry is taken out and entered again, in slot order starting just after an empty slot, so that no run of
 * full slots is cut. An entry whose home stays in the lower half lands at or before where it was, past slots done
 * already (never emptied again); one whose home moves to the upper half finds there only entries of its own run,
 * which held no more slots below; one from the runs that wrapped around the old end lands at or before where it was.
 * So no entry passes a slot that is emptied later, and every entry is found from its home.
 */
void repeats_grow(u32 bits) {
  u32 old = table_mask + 1, empty = 0;
  while (table[4 * empty + 3] != 0) empty++;
  table_mask = (1u << bits) - 1;
  table_limit = (table_mask + 1) / 8 * 7;
  for (u32 k = 1; k < old; k++) {
    u32 *s = table + 4 * ((empty + k) & (old - 1));
    if (s[3] == 0) continue;
    u32 entry[4];
    __builtin_memcpy(entry, s, 16);
    s[3] = 0;
    __builtin_memcpy(slot(table, table_mask, entry[0], entry[1], entry[2]), entry, 16);
  }
}

/*
 * What the side list says of a reduced record (n bytes at p): 2 * its number when it is new, 2 * the number of the
 * earlier one + 1 when it is a repeat, -1 when it is new and the table is full (it gets no number).
 */
static int remember(const u8 *p, u32 n) {
  u64 h0, h1;
  siphash(p, n, &h0, &h1);
  u32 *s = slot(table, table_mask, (u32)h0, (u32)(h0 >> 32), (u32)h1);
  if (s[3] != 0) return (int)(2 * (s[3] - 1) + 1);
  if (table_count >= table_limit) return -1;
  s[0] = (u32)h0;
  s[1] = (u32)(h0 >> 32);
  s[2] = (u32)h1;
  s[3] = ++next_id;
  table_count++;
  return (int)(2 * (next_id - 1));
}

/*
 * The `len` bytes at `in` as the elements of a list, written to `out` as `[...]` with each object reduced to the
 * keys in `keys` (conditional ones only in objects that hold the `marker_len` bytes at `mark`): returns the length
 * written, or -1 when the text is not a list's elements as JSON.parse reads them (or nests deeper than MAX_DEPTH).
 * `out` needs room for len + 2 bytes.
 *
 * With a `side` list (room for len / 2 + 1 entries), each element gets an entry (see remember; -1 for an element that
 * is not an object) and a reduced object seen before (since repeats_start) is left out of `out`.
 */
int scan(const u8 *in, u32 len, u8 *out, const u8 *keys, const u8 *mark, u32 mark_len, int *side) {
  const u8 *p = in, *end = in + len;
  u8 *o = out;
  base = in;
  marker = mark;
  marker_length = mark_len;
  newlines = 0;
  last_newline = 0xffffffff;
  non_ascii = 0;
  elements = 0;
  *o++ = '[';
  p = ws(p);
  for (int first = 1; p != end; first = 0) {
    if (!first) {
      if (*p != ',') return -1;
      p = ws(p + 1);
      if (p == end) return -1;
    }
    u8 *at = o;
    if (o != out + 1) *o++ = ',';
    if (*p == '{') {
      u8 *rec = o;
      if (!(p = reduce(p, &o, keys))) return -1;
      if (side) {
        int k = remember(rec, (u32)(o - rec));
        side[elements] = k;
        if (k > 0 && (k & 1)) o = at;
      }
    } else {
      const u8 *start = p;
      if (!(p = value(p))) return -1;
      o = copy(o, start, p);
      if (side) side[elements] = -1;
    }
    elements++;
    p = ws(p);
    if (p > end) return -1;
  }
  *o++ = ']';
  return (int)(o - out);
}

/*
 * Whether the `len` bytes at `in` hold the `n` bytes at `needle` (a search by first and last byte, 16 places at a
 * time). Reads up to 15 + n bytes past the end: within the input or its zero padding.
 */
static int contains(const u8 *in, u32 len, const u8 *needle, u32 n) {
  if (n == 0) return 1;
  if (n > len) return 0;
  const v128_t first = wasm_i8x16_splat(needle[0]), last = wasm_i8x16_splat(needle[n - 1]);
  const u32 starts = len - n + 1;
  for (u32 i = 0; i < starts; i += 16) {
    v128_t a = wasm_v128_load(in + i), b = wasm_v128_load(in + i + n - 1);
    u32 mask = wasm_i8x16_bitmask(wasm_v128_and(wasm_i8x16_eq(a, first), wasm_i8x16_eq(b, last)));
    if (starts - i < 16) mask &= (1u << (starts - i)) - 1;
    for (; mask; mask &= mask - 1) {
      const u8 *at = in + i + __builtin_ctz(mask);
      u32 j = 1;
      while (j + 1 < n && at[j] == needle[j]) j++;
      if (j + 1 >= n) return 1;
    }
  }
  return 0;
}

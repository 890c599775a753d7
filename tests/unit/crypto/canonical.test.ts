import { describe, expect, it } from 'vitest';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from '../../../src/crypto/bytes.ts';
import { canonicalJson, sha256, sha256Base64Url } from '../../../src/crypto/canonical.ts';

describe('canonicalJson', () => {
  it('sorts keys recursively and is independent of insertion order', () => {
    const a = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order and escapes strings like JSON', () => {
    expect(canonicalJson([2, 1, 'ä"\n'])).toBe('[2,1,"ä\\"\\n"]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('rejects what is not JSON instead of dropping it', () => {
    expect(() => canonicalJson(undefined)).toThrow(Error);
    expect(() => canonicalJson({ a: undefined })).toThrow(/undefined/);
    expect(() => canonicalJson([1, undefined])).toThrow(Error);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson(Number.NaN)).toThrow(/non-finite/);
    expect(() => canonicalJson({ n: Infinity })).toThrow(/non-finite/);
    expect(() => canonicalJson(1n)).toThrow(Error);
    expect(() => canonicalJson(new Date())).toThrow(/plain object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('sha256 and bytes', () => {
  it('hashes the known test vector', async () => {
    const hex = Array.from(await sha256(utf8('abc')), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Base64Url(utf8('abc'))).toBe(toBase64Url(await sha256(utf8('abc'))));
  });

  it('concatenates and round-trips base64url', () => {
    const joined = concatBytes(new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3]));
    expect(Array.from(joined)).toEqual([1, 2, 3]);
    expect(Array.from(fromBase64Url(toBase64Url(joined)))).toEqual([1, 2, 3]);
  });
});

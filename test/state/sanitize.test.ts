import { describe, expect, it } from 'vitest';
import { sanitizeMultiline, sanitizeText, truncateText } from '../../src/state/sanitize.js';

const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;

/** Nothing a terminal would interpret may survive. */
function assertInert(out: string): void {
  // eslint-disable-next-line no-control-regex
  expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

describe('sanitizeText: escape sequences', () => {
  it('strips CSI colour, cursor and erase sequences (7-bit)', () => {
    const out = sanitizeText(`${ESC}[31mred${ESC}[0m ${ESC}[2J${ESC}[H${ESC}[?25l${ESC}[1;31;4mX`);
    expect(out).toBe('red X');
    assertInert(out);
  });

  it('strips CSI with intermediates and private markers', () => {
    expect(sanitizeText(`a${ESC}[>4;2m${ESC}[ qb${ESC}[?1049hc`)).toBe('abc');
  });

  it('strips 8-bit CSI (0x9B)', () => {
    expect(sanitizeText('a\u009b31mb\u009b2Jc')).toBe('abc');
  });

  it('strips OSC 0 titles ended by BEL or ST', () => {
    expect(sanitizeText(`x${ESC}]0;evil title${BEL}y${ESC}]2;t2${ST}z`)).toBe('xyz');
  });

  it('strips OSC 8 hyperlinks but keeps the visible text', () => {
    const link = `${ESC}]8;;https://evil.example/${ST}click me${ESC}]8;;${ST}`;
    expect(sanitizeText(link)).toBe('click me');
    expect(sanitizeText(link)).not.toContain('evil.example');
  });

  it('strips OSC 52 clipboard writes', () => {
    const out = sanitizeText(`ok${ESC}]52;c;cm0gLXJmIH4=${BEL}done`);
    expect(out).toBe('okdone');
    expect(out).not.toContain('cm0g');
  });

  it('strips 8-bit OSC (0x9D) ended by 8-bit ST (0x9C)', () => {
    expect(sanitizeText('a\u009d52;c;Zm9v\u009cb')).toBe('ab');
  });

  it('strips DCS, SOS, PM and APC strings (7-bit and 8-bit)', () => {
    expect(sanitizeText(`1${ESC}Pq#0;2;0;0;0~${ST}2`)).toBe('12');
    expect(sanitizeText(`1${ESC}Xsos payload${ST}2`)).toBe('12');
    expect(sanitizeText(`1${ESC}^pm payload${ST}2`)).toBe('12');
    expect(sanitizeText(`1${ESC}_Gf=100;AAAA${ST}2`)).toBe('12');
    expect(sanitizeText('1\u0090dcs\u009c2\u0098sos\u009c3\u009epm\u009c4\u009fapc\u009c5')).toBe(
      '12345',
    );
  });

  it('treats an unterminated string sequence as swallowing the rest', () => {
    expect(sanitizeText(`safe${ESC}]52;c;AAAA and more`)).toBe('safe');
    expect(sanitizeText(`safe${ESC}Pno end`)).toBe('safe');
  });

  it('strips single-character and nF escape sequences', () => {
    expect(sanitizeText(`a${ESC}7b${ESC}8c${ESC}cd${ESC}Me${ESC}(Bf${ESC}#8g${ESC}=h`)).toBe(
      'abcdefgh',
    );
  });

  it('strips SS2/SS3 with their character', () => {
    expect(sanitizeText(`a${ESC}OAb${ESC}NXc`)).toBe('abc');
  });

  it('drops a lone ESC and an ESC at the end', () => {
    expect(sanitizeText(`a${ESC}${ESC}`)).toBe('a');
    expect(sanitizeText(`a${ESC}ébc`)).toBe('aébc');
  });

  it('aborts a CSI at an unexpected character and keeps that character', () => {
    expect(sanitizeText(`a${ESC}[12é`)).toBe('aé');
  });

  it('strips every other C1 control', () => {
    let s = 'a';
    for (let c = 0x80; c <= 0x9f; c++) {
      if ([0x90, 0x98, 0x9b, 0x9d, 0x9e, 0x9f, 0x85].includes(c)) continue;
      s += String.fromCharCode(c);
    }
    expect(sanitizeText(s + 'b')).toBe('ab');
  });
});

describe('sanitizeText: controls and line breaks', () => {
  it('removes C0 controls and DEL', () => {
    let s = '';
    for (let c = 0; c < 0x20; c++)
      if (![0x09, 0x0a, 0x0d, 0x1b].includes(c)) s += String.fromCharCode(c);
    expect(sanitizeText(`a${s}\u007fb`)).toBe('ab');
  });

  it('turns newlines, CR, CRLF, tabs, NEL and U+2028/2029 into spaces on one line', () => {
    expect(sanitizeText('a\nb\r\nc\rd\te\u0085f\u2028g\u2029h')).toBe('a b c d e f g h');
  });

  it('a carriage return cannot overwrite the visible text', () => {
    expect(sanitizeText('harmless\rEVIL')).toBe('harmless EVIL');
  });

  it('multiline keeps line structure as \\n and still strips everything else', () => {
    const out = sanitizeMultiline(`l1\r\nl2\rl3\n${ESC}[31ml4${ESC}[0m\tx\u2028l5`);
    expect(out).toBe('l1\nl2\nl3\nl4 x\nl5');
    for (const line of out.split('\n')) assertInert(line);
  });
});

describe('sanitizeText: unicode', () => {
  it('removes bidi embeddings, overrides and isolates', () => {
    const trojan =
      'access\u202e\u2066// admin\u2069\u2066 level\u202a\u202b\u202c\u202d\u2067\u2068';
    const out = sanitizeText(trojan);
    expect(out).toBe('access// admin level');
    assertInert(out);
  });

  it('removes harmful invisible format characters', () => {
    const s = 'p\u200ba\u200es\u200fs\u061cw\u00ado\u180er\u2060d\u2063\u206a\ufeff\ufff9x';
    expect(sanitizeText(s)).toBe('passwordx');
  });

  it('removes tag characters and variation-selector smuggling', () => {
    const hidden = Array.from('hidden', (c) =>
      String.fromCodePoint(0xe0000 + c.charCodeAt(0)),
    ).join('');
    expect(sanitizeText(`ok${hidden}\u{e0100}\u{e01ef}`)).toBe('ok');
  });

  it('keeps ordinary text, CJK, emoji and joiners', () => {
    const s = 'héllo 世界 👩‍💻 ✔︎ ok';
    expect(sanitizeText(s)).toBe(s);
  });

  it('removes lone surrogates but keeps pairs', () => {
    expect(sanitizeText('a\ud800b\udc00c😀')).toBe('abc😀');
  });
});

describe('sanitizeText: inputs and truncation', () => {
  it('accepts any value without throwing', () => {
    expect(sanitizeText(undefined)).toBe('');
    expect(sanitizeText(null)).toBe('');
    expect(sanitizeText(42)).toBe('42');
    expect(sanitizeText(true)).toBe('true');
    expect(sanitizeText(10n)).toBe('10');
    expect(sanitizeText(Symbol('x'))).toBe('');
    // JSON escapes the ESC as the inert text `\u001b`.
    expect(sanitizeText({ a: `${ESC}[31m` })).toBe('{"a":"\\u001b[31m"}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(sanitizeText(cyclic)).toBe('[unserializable]');
  });

  it('truncates to maxLen code points with an ellipsis', () => {
    expect(sanitizeText('abcdefgh', 5)).toBe('abcd…');
    expect(sanitizeText('abc', 3)).toBe('abc');
    expect(sanitizeText('abcd', 1)).toBe('…');
    expect(sanitizeText('abcd', 0)).toBe('');
    expect(sanitizeText('abcd', Number.NaN)).toBe('');
    expect(Array.from(sanitizeText('😀😀😀😀', 3))).toEqual(['😀', '😀', '…']);
  });

  it('truncates after stripping, so escapes do not count', () => {
    expect(sanitizeText(`${ESC}[31m${ESC}[1mabc${ESC}[0m`, 3)).toBe('abc');
  });

  it('caps one-line text by default', () => {
    expect(Array.from(sanitizeText('x'.repeat(5000))).length).toBe(1000);
  });

  it('truncateText leaves short text alone', () => {
    expect(truncateText('abc', 10)).toBe('abc');
  });
});

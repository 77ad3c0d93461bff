import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GbkError, decodeGbk, encodeGbk, gbkLength } from './gbk.ts';
import { fromHex, toHex } from './bytes.ts';

test('社会保障 encodes as in the SSSE name (docs/ssse.md §1)', () => {
  assert.equal(toHex(encodeGbk('社会保障')), 'C9E7BBE1B1A3D5CF');
  assert.equal(toHex(encodeGbk('sx1.sh.社会保障')), '7378312E73682EC9E7BBE1B1A3D5CF');
});

test('张三 encodes as D5C5 C8FD', () => {
  assert.equal(toHex(encodeGbk('张三')), 'D5C5C8FD');
  assert.equal(decodeGbk(fromHex('D5C5C8FD')), '张三');
});

test('ASCII passes through as single bytes, 00 included', () => {
  const text = 'ABC xyz 0123456789 .-_/\u0000\u007f';
  const bytes = encodeGbk(text);
  assert.deepEqual(
    [...bytes],
    [...text].map((c) => c.charCodeAt(0)),
  );
  assert.equal(decodeGbk(bytes), text);
  assert.equal(gbkLength(text), text.length);
});

test('mixed text: length counts 1 per ASCII and 2 per Chinese character', () => {
  assert.equal(gbkLength('张三A'), 5);
  assert.equal(gbkLength(''), 0);
  assert.equal(toHex(encodeGbk('张三A')), 'D5C5C8FD41');
  assert.equal(encodeGbk('').length, 0);
});

test('round trip of a few hundred common characters', () => {
  const common =
    '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质' +
    '张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤' +
    '北京上海广州深圳天津重庆男女汉族回族满族身份证社会保障卡银行金融医疗养老失业工伤生育，。、；：？！“”（）《》·—…￥〇';
  assert.ok([...common].length > 300);
  const bytes = encodeGbk(common);
  assert.equal(bytes.length, 2 * [...common].length);
  assert.equal(decodeGbk(bytes), common);
});

test('every double-byte code that decodes re-encodes to the same bytes', () => {
  let checked = 0;
  for (let lead = 0x81; lead <= 0xfe; lead += 7) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const bytes = Uint8Array.of(lead, trail);
      const text = decodeGbk(bytes);
      assert.equal(toHex(encodeGbk(text)), toHex(bytes));
      checked++;
    }
  }
  assert.ok(checked > 3000);
});

test('an unencodable character throws GbkError naming it', () => {
  assert.throws(
    () => encodeGbk('张三😀'),
    (e: unknown) => e instanceof GbkError && e.character === '😀' && e.index === 2 && /😀/.test(e.message) && /U\+1F600/.test(e.message),
  );
  assert.throws(() => gbkLength('😀'), GbkError);
  assert.throws(() => encodeGbk('€'), GbkError); // CP936 0x80, not GBK
  assert.throws(() => encodeGbk('\ud800'), GbkError); // lone surrogate
  assert.throws(() => encodeGbk('한'), GbkError); // Hangul syllable outside GBK
});

test('malformed GBK throws, or becomes U+FFFD when not fatal', () => {
  for (const hex of ['80', 'FF', 'D5', 'D5C5C8', 'D57F', 'D520', '8130', '81308130']) {
    assert.throws(() => decodeGbk(fromHex(hex)), GbkError, hex);
  }
  assert.equal(decodeGbk(fromHex('41FF42'), { fatal: false }), 'A\ufffdB');
  assert.equal(decodeGbk(fromHex('D5C541D5'), { fatal: false }), '张A\ufffd');
  assert.equal(decodeGbk(fromHex('D520'), { fatal: false }), '\ufffd '); // 0x20 is no trail byte, so it stands alone
});

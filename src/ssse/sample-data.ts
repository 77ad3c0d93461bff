/**
 * Basic data (EF05 / EF06, see records.ts and docs/ssse.md §2) of the lab's
 * reference cards. The persons are fictitious test persons with the
 * placeholder names 张三 / 李四 / 王五 / 赵六.
 *
 * Shapes follow values observed in public implementations and the lab's
 * reference profiles, not the standard text: the card identification code is
 * the city code (3 bytes BCD) followed by ASCII "D156000005" and 3 ASCII
 * characters; the initialising-organisation number is the ASCII city code and
 * a serial; card type '3'. The social security numbers have valid GB 11643
 * check digits and match birth date and sex. The last character of the card
 * numbers is a placeholder: the lab does not compute the card-number check
 * character.
 */
import type { BasicData } from '../model/basic-data.ts';

function asciiHex(text: string): string {
  return Array.from(text, (c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Card identification code: city code BCD ‖ "D156000005" ‖ a 3-character serial (observed shape). */
function cardIdCode(city: string, serial: string): string {
  return city + asciiHex(`D156000005${serial}`);
}

/** Shanghai (city code 310100), specification 2.00. */
export const SAMPLE_SHANGHAI_V2: Readonly<BasicData> = Object.freeze({
  cardIdCode: cardIdCode('310100', 'S2A'),
  cardType: '3',
  specVersion: '2.00',
  initOrg: asciiHex('310100000001'),
  issueDate: '20180315',
  expiryDate: '20280315',
  cardNumber: 'A10000010',
  ssn: '310101198001010018',
  name: '张三',
  nameExtension: '',
  sex: '1',
  ethnicity: '01',
  birthplace: '310101',
  birthDate: '19800101',
});

/** Beijing (city code 110100), specification 3.00. */
export const SAMPLE_BEIJING_V3: Readonly<BasicData> = Object.freeze({
  cardIdCode: cardIdCode('110100', 'B3A'),
  cardType: '3',
  specVersion: '3.00',
  initOrg: asciiHex('110100000001'),
  issueDate: '20230901',
  expiryDate: '20330901',
  cardNumber: 'B20000020',
  ssn: '110105199207150027',
  name: '李四',
  nameExtension: '',
  sex: '2',
  ethnicity: '01',
  birthplace: '110105',
  birthDate: '19920715',
});

/** Guangzhou (city code 440100), specification 1.00 (no name extension). */
export const SAMPLE_GUANGZHOU_V1: Readonly<BasicData> = Object.freeze({
  cardIdCode: cardIdCode('440100', 'G1A'),
  cardType: '3',
  specVersion: '1.00',
  initOrg: asciiHex('440100000001'),
  issueDate: '20170401',
  expiryDate: '20270401',
  cardNumber: 'C30000030',
  ssn: '440106197511200037',
  name: '王五',
  sex: '1',
  ethnicity: '01',
  birthplace: '440106',
  birthDate: '19751120',
});

/** An expired card: Guangzhou, specification 1.00, issued 2010-12-31, expired 2020-12-31. */
export const SAMPLE_EXPIRED_V1: Readonly<BasicData> = Object.freeze({
  cardIdCode: cardIdCode('440100', 'G1B'),
  cardType: '3',
  specVersion: '1.00',
  initOrg: asciiHex('440100000001'),
  issueDate: '20101231',
  expiryDate: '20201231',
  cardNumber: 'C30000040',
  ssn: '440104195803080047',
  name: '赵六',
  sex: '2',
  ethnicity: '01',
  birthplace: '440104',
  birthDate: '19580308',
});

/** All samples by name. */
export const SAMPLE_BASIC_DATA: Readonly<Record<'shanghai-v2' | 'beijing-v3' | 'guangzhou-v1' | 'expired-v1', Readonly<BasicData>>> =
  Object.freeze({
    'shanghai-v2': SAMPLE_SHANGHAI_V2,
    'beijing-v3': SAMPLE_BEIJING_V3,
    'guangzhou-v1': SAMPLE_GUANGZHOU_V1,
    'expired-v1': SAMPLE_EXPIRED_V1,
  });

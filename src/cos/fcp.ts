/**
 * FCP templates for CREATE FILE (ISO/IEC 7816-4 §5.3.3 Table 12, used as
 * ISO/IEC 7816-9 §6.1 does): 82 file descriptor, 83 file identifier, 84 DF
 * name, 80 size of a transparent EF, 88 SFI, 86 security attributes
 * (proprietary: per operation read, update a type byte, a PIN id and a key
 * id; type 00 free, FF never, 01 key, 02 PIN, 03 PIN or key, 04 PIN and key),
 * 85 proprietary information (01: records are TLV with the tag as record
 * identifier), A5 the FCI the DF returns when selected.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { encodeTlv } from '../core/tlv.ts';

export type Access = 'always' | 'never' | { key: number } | { pin: number } | { pin: number; key: number; mode: 'or' | 'and' };

export function encodeAccess(ac: Access): number[] {
  if (ac === 'always') return [0x00, 0, 0];
  if (ac === 'never') return [0xff, 0, 0];
  if ('mode' in ac) return [ac.mode === 'or' ? 0x03 : 0x04, ac.pin, ac.key];
  if ('key' in ac) return [0x01, 0, ac.key];
  return [0x02, ac.pin, 0];
}

const DESCRIPTOR = { transparent: 0x01, 'linear-fixed': 0x02, 'linear-variable': 0x04, cyclic: 0x06 } as const;

function fid(id: number): Bytes {
  return new Uint8Array([id >> 8, id & 0xff]);
}

export function dfFcp(props: { fid: number; name?: Bytes; fci?: Bytes }): Bytes {
  return encodeTlv(
    0x62,
    concat(
      encodeTlv(0x82, new Uint8Array([0x38])),
      encodeTlv(0x83, fid(props.fid)),
      props.name ? encodeTlv(0x84, props.name) : new Uint8Array(0),
      props.fci ? encodeTlv(0xa5, props.fci) : new Uint8Array(0),
    ),
  );
}

export function efFcp(props: {
  fid: number;
  sfi?: number;
  structure: keyof typeof DESCRIPTOR;
  size?: number;
  recordLength?: number;
  maxRecords?: number;
  read: Access;
  update: Access;
  /** Records are TLV with the tag as record identifier: proprietary FCP tag 85 = 01. */
  tlvRecords?: boolean;
}): Bytes {
  const d = DESCRIPTOR[props.structure];
  const descriptor =
    props.structure === 'transparent'
      ? new Uint8Array([d])
      : new Uint8Array([d, 0x21, 0x00, props.recordLength ?? 0xff, props.maxRecords ?? 0xfe]);
  return encodeTlv(
    0x62,
    concat(
      encodeTlv(0x82, descriptor),
      encodeTlv(0x83, fid(props.fid)),
      props.structure === 'transparent' ? encodeTlv(0x80, fid(props.size ?? 0)) : new Uint8Array(0),
      props.sfi !== undefined ? encodeTlv(0x88, new Uint8Array([props.sfi << 3])) : new Uint8Array(0),
      encodeTlv(0x86, new Uint8Array([...encodeAccess(props.read), ...encodeAccess(props.update)])),
      props.tlvRecords ? encodeTlv(0x85, new Uint8Array([0x01])) : new Uint8Array(0),
    ),
  );
}

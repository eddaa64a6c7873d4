/**
 * Records sent and written as the archive holds them. A record goes on as
 * its own text (the SDK's `RawJson`: checked by its parsed value, sent
 * byte for byte), so a number a double cannot hold (9007199254740993, a
 * 30-digit id) is never rounded between archive and wire. Only a record an
 * upgrade must change is parsed, and then without loss (`parseLossless`),
 * and written again without loss.
 * @module
 */
import { parseLossless, RawJson, stringifyLossless, upgradeRecord, type ApiVersion } from "@resonantgenesis/sdk";

/** A record as read: its kind, parsed value and exact text. */
export interface TextRecord {
  /** Plural kind. */
  kind: string;
  /** Parsed value (numbers beyond a double rounded): for checks and ids. */
  data: unknown;
  /** The exact JSON text. */
  text: string;
}

/**
 * A record's value with every number as its text writes it: `data` itself unless the text holds a number a double
 * cannot hold, then parsed again from the text without loss. Without a text (a live object whose secret was taken
 * out), `data` as it is.
 */
export function exactData(record: { data: unknown; text?: string | undefined }): unknown {
  return record.text === undefined ? record.data : parseLossless(record.text, record.data);
}

/**
 * A function that takes a record of API `from` to `to` as a `RawJson`:
 * the archive's own bytes when the upgrade adds nothing (always when the
 * versions are equal), else the upgraded record written without loss.
 */
export function exactUpgrader(from: ApiVersion, to: ApiVersion): (record: TextRecord) => RawJson {
  if (from === to) return (record) => new RawJson(record.text, record.data);
  return (record) => {
    const plain = upgradeRecord(record.kind, record.data as Record<string, unknown>, from, to);
    // upgradeRecord answers its input when it filled nothing: then the bytes stay as they are.
    if (plain === record.data) return new RawJson(record.text, record.data);
    // Without a number a double cannot hold, the exact value is `data` itself, already upgraded.
    const value = exactData(record);
    const exact =
      value === record.data ? plain : upgradeRecord(record.kind, value as Record<string, unknown>, from, to);
    return new RawJson(stringifyLossless(exact), plain);
  };
}

/** The id of an item as the importer holds it (a `RawJson` or a plain object), for failure logs and secrets. */
export function idOf(item: unknown): string {
  const value = item instanceof RawJson ? item.value : item;
  return String((value as { id?: unknown } | null)?.id);
}

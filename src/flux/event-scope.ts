// What one event's decision reads many times — one alert after another — worked out once per
// event: the predicates of the dispatch gates (spec §4.1), the metadata layers (§5.2), the
// involved object's labels (§3.2 B6) and each RE2 search of the message (§3.3–3.4). Each
// answer depends only on the event and the catalog, so every alert still sees what NC's
// handler would compute for it.

import { hasChangeRequestKey, hasCommitKey, isCommitStatusUpdate } from './dispatch.js';
import { involvedRef, type LookupObject, type ObjectLookup } from './match.js';
import { combineEventMetadata, metadataLayers, type CombinedMetadata, type MetadataLayers } from './metadata.js';
import type { MessageRegex } from './regex.js';
import type { Alert, FluxEvent } from './types.js';

export class EventScope {
  /** `<group>/commit_status` is `update` (§4.1). */
  readonly commitStatusUpdate: boolean;
  /** A non-empty `event.toolkit.fluxcd.io/commit` key (§4.1). */
  readonly hasCommitKey: boolean;
  /** A non-empty `event.toolkit.fluxcd.io/change_request` key (§4.1). */
  readonly hasChangeRequestKey: boolean;
  private layersCache: MetadataLayers | undefined;
  // A few entries per event: short lists beat maps here.
  private combinedKeys: string[] | undefined;
  private combinedValues: CombinedMetadata[] | undefined;
  private searched: MessageRegex[] | undefined;
  private hits: boolean[] | undefined;
  private looked: ObjectLookup | undefined;

  constructor(
    readonly event: FluxEvent,
    looked?: ObjectLookup,
  ) {
    this.looked = looked;
    this.commitStatusUpdate = isCommitStatusUpdate(event);
    this.hasCommitKey = hasCommitKey(event);
    this.hasChangeRequestKey = hasChangeRequestKey(event);
  }

  get layers(): MetadataLayers {
    return (this.layersCache ??= metadataLayers(this.event));
  }

  /**
   * The combined metadata for an alert. Alerts with the same eventMetadata and summary (`key`)
   * get the same result; nothing downstream mutates a notification, so it is shared.
   */
  combine(alert: Alert, key: string): CombinedMetadata {
    const i = this.combinedKeys ? this.combinedKeys.indexOf(key) : -1;
    if (i >= 0) return this.combinedValues![i]!;
    const c = combineEventMetadata(this.event, alert, this.layers);
    (this.combinedKeys ??= []).push(key);
    (this.combinedValues ??= []).push(c);
    return c;
  }

  /** Unanchored RE2 search of the message, once per compiled expression. */
  searchMessage(re: MessageRegex): boolean {
    const i = this.searched ? this.searched.indexOf(re) : -1;
    if (i >= 0) return this.hits![i]!;
    const hit = re.search(this.event.message);
    (this.searched ??= []).push(re);
    (this.hits ??= []).push(hit);
    return hit;
  }

  /** A scope for the same event that keeps only the labels already read. */
  again(): EventScope {
    return new EventScope(this.event, this.looked);
  }

  /** The involved object's labels, read once for all the alerts that ask. */
  lookupInvolved(lookup: LookupObject): ObjectLookup {
    return (this.looked ??= lookup(involvedRef(this.event)));
  }
}

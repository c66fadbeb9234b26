// A Dispatch for one non-HTTP provider (nats, googlepubsub, azureeventhub), as the decision core
// would hand it to deliverDispatch: the wiring tests of each transport share it.

import type { Dispatch } from '../../src/flux/dispatch.js';
import type { AssembledOptions } from '../../src/flux/notifier-options.js';
import type { Alert, Provider } from '../../src/flux/types.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { NotifierOptions } from '../../src/providers/types.js';
import { sampleEvent } from '../providers/drive.js';

export function messageDispatch(type: string, o: NotifierOptions, origins: AssembledOptions['origins'] = {}): Dispatch {
  const meta = (name: string) => ({ name, namespace: 'flux-system' });
  const source = { file: 'test.yaml', doc: 0 };
  const alert: Alert = {
    kind: 'Alert',
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    metadata: meta('on-call'),
    object: {},
    source,
    spec: { providerRef: { name: type }, eventSeverity: 'info', eventSources: [] },
  };
  const provider: Provider = {
    kind: 'Provider',
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    metadata: meta(type),
    object: {},
    source,
    spec: { type, address: o.url, channel: o.channel },
  };
  return {
    alert,
    provider,
    notification: sampleEvent(),
    commitStatus: '',
    assembled: { options: o, maskToken: o.token, secretValues: [], logs: [], origins },
    notifier: createNotifierFromRegistry(type, o),
  };
}

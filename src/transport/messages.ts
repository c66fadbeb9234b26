// Which handler delivers a non-HTTP message (nats, googlepubsub, azureeventhub): the real client
// with `--send`, or the mock, which counts the message as delivered without opening a socket or
// loading the client library. Other transports fall back to the render-only refusal.

import type { NotifierOptions } from '../providers/types.js';
import { defaultMessageHandler, type MessageHandler } from './deliver.js';
import { eventHubMessageHandler, eventHubMockMessageHandler } from './eventhub.js';
import { natsMessageHandler, natsMockMessageHandler } from './nats.js';
import { pubsubMessageHandler, pubsubMockMessageHandler } from './pubsub.js';

export function messageHandlerFor(opts: NotifierOptions, mode: 'mock' | 'real'): MessageHandler {
  return (msg, signal) => {
    const mock = mode === 'mock';
    switch (msg.transport) {
      case 'nats':
        return mock ? natsMockMessageHandler(msg, signal) : natsMessageHandler(opts)(msg, signal);
      case 'googlepubsub':
        return mock ? pubsubMockMessageHandler(msg, signal) : pubsubMessageHandler(opts)(msg, signal);
      case 'azureeventhub':
        return mock ? eventHubMockMessageHandler(msg, signal) : eventHubMessageHandler(opts)(msg, signal);
      default:
        return defaultMessageHandler(msg, signal);
    }
  };
}

/**
 * Loads the client library a real send to this provider type needs. Called before the delivery
 * starts, so the first send does not spend its provider timeout on loading gRPC or AMQP code.
 */
export async function preloadClientLibrary(providerType: string): Promise<void> {
  if (providerType === 'googlepubsub') await import('@google-cloud/pubsub');
  else if (providerType === 'azureeventhub') await import('@azure/event-hubs');
}

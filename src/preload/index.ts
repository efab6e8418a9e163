// The bridge: window.haechi with the API's named methods and `on(topic, listener)`. No logic
// here; validation and everything else happen on the Node side.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  METHOD_NAMES,
  TOPICS,
  type HaechiApi,
  type Topic,
  type TopicPayloads,
} from '../shared/api';

const methods = Object.fromEntries(
  METHOD_NAMES.map((name) => [
    name,
    (input: unknown) => ipcRenderer.invoke(`haechi:${name}`, input),
  ]),
);

function on<T extends Topic>(topic: T, listener: (payload: TopicPayloads[T]) => void): () => void {
  if (!TOPICS.includes(topic)) throw new Error(`unknown topic "${topic}"`);
  const channel = `haechi:topic:${topic}`;
  const wrapped = (_event: IpcRendererEvent, payload: TopicPayloads[T]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const api = { ...methods, on } as unknown as HaechiApi;
contextBridge.exposeInMainWorld('haechi', api);

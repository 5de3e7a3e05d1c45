/**
 * The webview's side of the protocol: every message from the host is parsed with the shared
 * zod schema before it is used, requests are correlated by id, and an invalid message is
 * reported, never acted on.
 */
import {
  parseHostMessage,
  PersistedViewStateSchema,
  type HostToWebview,
  type PersistedViewState,
  type WebviewToHostInput,
} from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Reply = Extract<HostToWebview, { id?: number }>;
type Pending = { resolve: (m: Reply) => void };

export type RequestBody =
  | { type: 'simulate'; request: Extract<WebviewToHostInput, { type: 'simulate' }>['request'] }
  | { type: 'pickTrace' }
  | { type: 'replayPrometheus' }
  | { type: 'savePolicy'; whatIf: Extract<WebviewToHostInput, { type: 'savePolicy' }>['whatIf'] };

export class Host {
  private readonly api = acquireVsCodeApi();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private listener: (m: HostToWebview) => void = () => undefined;

  constructor(private readonly onInvalid: (error: string) => void) {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  /** Handles host notifications (plan, focus, tab); replies to requests go to their callers. */
  onMessage(listener: (m: HostToWebview) => void): void {
    this.listener = listener;
  }

  post(message: WebviewToHostInput): void {
    this.api.postMessage(message);
  }

  /** Sends a request and resolves with the host's reply carrying the same id (result, error or cancelled). */
  request(body: RequestBody): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.api.postMessage({ ...body, id });
    });
  }

  state(): PersistedViewState {
    const parsed = PersistedViewStateSchema.safeParse(this.api.getState() ?? {});
    return parsed.success ? parsed.data : PersistedViewStateSchema.parse({});
  }

  saveState(state: PersistedViewState): void {
    this.api.setState(state);
  }

  private receive(raw: unknown): void {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      this.onInvalid(parsed.error);
      return;
    }
    const m = parsed.value;
    const id = 'id' in m ? m.id : undefined;
    if (id !== undefined && this.pending.has(id)) {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      p.resolve(m as Reply);
      return;
    }
    this.listener(m);
  }
}

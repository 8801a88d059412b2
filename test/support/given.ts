import type { SignedIn } from './http';
import type { TaskForce } from './scenario';

/** A demo country whose officer and liaison the task force has signed in. */
export type Country = 'KR' | 'KH' | 'MY';
type Cast = Exclude<keyof TaskForce, 'cambodiaKoreaFramework' | 'userId' | 'frameworkBetween'>;

/** A request as the API answers it; only the fields a walk reads are named. */
export interface RequestView {
  id: string;
  version: number;
  status: string;
  [field: string]: unknown;
}

/** Where each kind lives in the API. Its draft fields and answer are the spec's (`with`, `fulfilled`). */
const PATHS = {
  information: '/information-requests',
  asset_freeze: '/asset-freeze-requests',
  repatriation: '/repatriation-requests',
  blacklist: '/blacklist-proposals',
  release: '/release-requests',
} as const;
export type Kind = keyof typeof PATHS;

let serial = 0;

/**
 * A request of any kind, walked through the shared life cycle by the people who would take each step:
 * the origin's officer drafts and submits, its liaison approves (sends), the target's liaison accepts,
 * assigns and answers. Configure with the chainable methods, then await the state wanted:
 * `await given.anInformationRequest().from('KH').sentTo('KR').handledAs('RED').about(p).accepted()`.
 * One builder is one request: a later state method continues from where the last one left it (draft,
 * attach a file, then `sent()`), and each returns the request as its last step answered.
 */
export class RequestBuilder {
  private origin: Country = 'KR';
  private target: Country = 'KH';
  private framework: string | null = null;
  private fields: Record<string, unknown>;
  private drafter: Cast | null = null;
  /** The request as its last step answered; null until drafted. */
  private view: RequestView | null = null;

  constructor(
    private readonly tf: TaskForce,
    readonly kind: Kind,
    defaults: Record<string, unknown>,
  ) {
    serial += 1;
    this.fields = { priority: 'urgent', handlingCode: 'AMBER', subject: `Request ${serial}`, ...defaults };
  }

  get path(): string {
    return PATHS[this.kind];
  }

  from(country: Country): this {
    this.origin = country;
    return this;
  }

  sentTo(country: Country): this {
    this.target = country;
    return this;
  }

  /** The cooperation framework; by default the active one the two countries share. */
  under(frameworkId: string): this {
    this.framework = frameworkId;
    return this;
  }

  handledAs(handlingCode: string): this {
    return this.with({ handlingCode });
  }

  about(...personIds: string[]): this {
    return this.with({ personIds });
  }

  /** Any other draft field of the kind (questions, identifiers, arrests, targets, ...). */
  with(fields: Record<string, unknown>): this {
    Object.assign(this.fields, fields);
    return this;
  }

  /** Another officer of the origin drafts and submits it (`kr.officer2`). */
  draftedBy(officer: Cast): this {
    this.drafter = officer;
    return this;
  }

  /** Drafted by the origin's officer (once: later steps continue this same request). */
  async drafted(): Promise<RequestView> {
    if (this.view) return this.view;
    const body = {
      ...this.fields,
      frameworkId: this.framework ?? (await this.sharedFramework()),
      targetCountry: this.target,
    };
    this.view = (await this.originOfficer().post(this.path, body).expect(201)).body as RequestView;
    return this.view;
  }

  async submitted(): Promise<RequestView> {
    const view = await this.drafted();
    return view.status === 'draft' ? this.step(this.originOfficer(), 'submit') : view;
  }

  /** Submitted and approved by the origin's liaison: the target sees it from now on. */
  async sent(): Promise<RequestView> {
    const view = await this.submitted();
    return view.status === 'submitted' ? this.step(this.originLiaison(), 'approve') : view;
  }

  async accepted(): Promise<RequestView> {
    const view = await this.sent();
    return view.status === 'sent' ? this.step(this.targetLiaison(), 'accept') : view;
  }

  async rejected(reason = 'Outside our remit'): Promise<RequestView> {
    await this.sent();
    return this.step(this.targetLiaison(), 'reject', { reason });
  }

  /** Accepted and assigned to an officer of the target (`kh.officer` by default). */
  async assignedTo(officer?: Cast): Promise<RequestView> {
    await this.accepted();
    const assignee = officer ?? (`${this.target.toLowerCase()}.officer` as Cast);
    return this.step(this.targetLiaison(), 'assign', { assigneeId: await this.tf.userId(assignee) });
  }

  /** Accepted and answered by the target's liaison with `answer` (an information request: `findings`). */
  async fulfilled(answer: Record<string, unknown>): Promise<RequestView> {
    await this.accepted();
    return this.step(this.targetLiaison(), 'fulfil', answer);
  }

  /** One step on the request as last seen, by `who`; what it answers is the request as now seen. */
  private async step(
    who: SignedIn,
    action: string,
    body: Record<string, unknown> = {},
  ): Promise<RequestView> {
    const { id, version } = this.view!;
    this.view = (await who.post(`${this.path}/${id}/${action}`, { version, ...body }).expect(200))
      .body as RequestView;
    return this.view;
  }

  private originOfficer(): SignedIn {
    return this.tf[this.drafter ?? (`${this.origin.toLowerCase()}.officer` as Cast)];
  }

  private originLiaison(): SignedIn {
    return this.tf[`${this.origin.toLowerCase()}.liaison` as Cast];
  }

  private targetLiaison(): SignedIn {
    return this.tf[`${this.target.toLowerCase()}.liaison` as Cast];
  }

  private async sharedFramework(): Promise<string> {
    const id = await this.tf.frameworkBetween(this.origin, this.target);
    if (!id)
      throw new Error(`No active framework between ${this.origin} and ${this.target}: pass one with under()`);
    return id;
  }
}

/**
 * Builders that read like the domain, for one spec file's task force:
 * `const given = givenIn(tf); await given.anInformationRequest().from('KR').sentTo('KH').sent()`.
 */
export function givenIn(tf: TaskForce) {
  return {
    /** An information request with one question; add `identifiers`, persons (`about`) and so on. */
    anInformationRequest: () => new RequestBuilder(tf, 'information', { questions: ['Who runs it?'] }),
    /** A request of any kind; its own draft fields go in `with`. */
    aRequest: (kind: Kind) => new RequestBuilder(tf, kind, {}),
  };
}

export type Given = ReturnType<typeof givenIn>;

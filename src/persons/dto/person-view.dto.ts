import type { IdentityDocument, Person, PersonName } from '../person.entity';

export class PersonView {
  id!: string;
  ownerCountry!: string;
  names!: PersonName[];
  birthDate!: string | null;
  nationalities!: string[];
  sex!: string | null;
  documents!: IdentityDocument[];
  phones!: string[];
  notes!: string | null;
  createdAt!: string;
  updatedAt!: string;
  version!: number;
}

export function toPersonView(p: Person): PersonView {
  return {
    id: p.id,
    ownerCountry: p.ownerCountry,
    names: p.names,
    birthDate: p.birthDate,
    nationalities: p.nationalities,
    sex: p.sex,
    documents: p.documents,
    phones: p.phones,
    notes: p.notes,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

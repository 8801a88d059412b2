import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { KeyObject } from 'node:crypto';
import type { Actor } from '../../common/request-context';
import { UnauthenticatedError } from '../../common/errors/domain-errors';
import { CurrentUserCache } from '../../users/current-user.cache';
import { JWT_KEY } from '../jwt-key.provider';
import { Inject } from '@nestjs/common';

export interface AccessTokenPayload {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(JWT_KEY) key: KeyObject,
    private readonly users: CurrentUserCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: key as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<Actor> {
    const actor = await this.users.actorFor(payload.sub, payload.sid, new Date(payload.iat * 1000));
    if (!actor) throw new UnauthenticatedError('The access token is no longer valid; sign in again.');
    return actor;
  }
}

import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { contextFromRequest } from '../../common/request-context';
import { CredentialsService } from '../credentials.service';
import type { User } from '../../users/user.entity';
import type { LoginDto } from '../dto/auth.dto';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly credentials: CredentialsService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<User> {
    // The body was validated and put back by LoginThrottlerGuard: `code` is a string or absent.
    const { code } = request.body as LoginDto;
    return this.credentials.verify(contextFromRequest(request), username, password, code);
  }
}

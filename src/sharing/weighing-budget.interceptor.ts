import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { withWeighingBudget } from './weighing-budget';

/** Gives every HTTP request its own budget, for the handler and everything it awaits. */
@Injectable()
export class WeighingBudgetInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return new Observable<unknown>((subscriber) =>
      withWeighingBudget(() => next.handle().subscribe(subscriber)),
    );
  }
}

import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { Chain, CHAINS, walletAddressProblem } from './wallet-address';

/**
 * An address valid on its sibling `chain`: a freeze target's wallet, a person's. Here, beside the
 * address rules, so that persons and asset freezes share it without importing each other.
 */
export function IsAddressOfChain(validation?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAddressOfChain',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const chain = (args.object as { chain?: unknown }).chain;
          if (typeof value !== 'string') return false;
          if (!(CHAINS as readonly unknown[]).includes(chain)) return true; // reported on the chain
          return walletAddressProblem(chain as Chain, value) === null;
        },
        defaultMessage: (args: ValidationArguments) => {
          const chain = (args.object as { chain?: unknown }).chain;
          return typeof args.value === 'string'
            ? `${args.property} ${walletAddressProblem(chain as Chain, args.value)}`
            : `${args.property} must be a string`;
        },
      },
    });
}

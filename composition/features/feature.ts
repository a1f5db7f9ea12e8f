import type { ContainerModuleLoadOptions, ServiceIdentifier } from 'inversify';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { RouteModule } from '../../adapters/http/route.js';
import { APP, type Token } from '../app-tokens.js';
import type { Persistence } from '../persistence.js';

/** A store port: its token, its MikroORM adapter and its in-memory twin (which may take other stores by token). */
export interface StoreDeclaration<S> {
  token: Token<S>;
  orm(em: SqlEntityManager): S;
  memory(get: <T>(token: Token<T>) => T): S;
}

export const store = <S>(
  token: Token<S>,
  Orm: new (em: SqlEntityManager) => S,
  memory: StoreDeclaration<S>['memory'],
): StoreDeclaration<S> => ({
  token,
  orm: (em) => new Orm(em),
  memory,
});

export type StoresOf<D> = { [K in keyof D]: D[K] extends StoreDeclaration<infer S> ? S : never };

type Ids<A extends unknown[]> = { [K in keyof A]: ServiceIdentifier<A[K]> };

/** The binding helpers a feature module uses: its stores, its use cases, its route modules. */
export function binder(options: ContainerModuleLoadOptions) {
  return {
    /** Each store's token resolves to the one instance the opened persistence holds. */
    stores(declarations: Record<string, StoreDeclaration<unknown>>): void {
      for (const [key, declaration] of Object.entries(declarations)) {
        options
          .bind(declaration.token)
          .toResolvedValue((p: Persistence) => (p as unknown as Record<string, unknown>)[key], [APP.Persistence]);
      }
    },
    /** A use case (or a rule object use cases share), bound by its class to a factory over the ports it takes. */
    useCase<V, A extends unknown[]>(id: ServiceIdentifier<V>, deps: Ids<A>, make: (...args: A) => V): void {
      options.bind<V>(id).toResolvedValue(make, deps as never);
    },
    routes(...modules: RouteModule<any>[]): void {
      for (const module of modules) options.bind(APP.RouteModule).toConstantValue(module);
    },
  };
}

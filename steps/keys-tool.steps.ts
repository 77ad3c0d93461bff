/**
 * Steps for the key-management tool: the tool recomputes published vectors
 * (vectors/*.json, each naming its source) and key-handling procedures.
 */
import { Then, When } from '@cucumber/cucumber';
import type { BlockAlg } from '../src/crypto/block.ts';
import {
  type ReproducedVector,
  describeReproduction,
  expectReproduced,
  expectSameKey,
  reproduceVector,
  splitAndCombine,
} from '../src/conformance/vectors.ts';
import type { LabWorld } from './world.ts';

interface ToolWorld extends LabWorld {
  reproduced?: ReproducedVector;
  split?: ReturnType<typeof splitAndCombine>;
}

When('the key-management tool recomputes the published vector {string}', async function (this: ToolWorld, id: string) {
  this.reproduced = reproduceVector(id);
  await this.attach(describeReproduction(this.reproduced), { mediaType: 'text/plain', fileName: 'Published vector' });
});

Then('the result is the published value', function (this: ToolWorld) {
  if (!this.reproduced) throw new Error('no vector was recomputed in this scenario');
  expectReproduced(this.reproduced);
});

When('the key-management tool splits a random {alg} key into {int} components', function (this: ToolWorld, alg: BlockAlg, n: number) {
  this.split = splitAndCombine(alg, n);
});

Then('the {alg} components combine to the same key', function (this: ToolWorld, alg: BlockAlg) {
  if (!this.split) throw new Error('no key was split in this scenario');
  expectSameKey(this.split.combined, this.split.key, alg, 'the combined key');
});

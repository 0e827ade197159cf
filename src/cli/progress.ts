import cliProgress from 'cli-progress';

/** What the trainer reports after each epoch (the shape of the NLU's EpochReport). */
export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  validationAccuracy: number;
}

export interface TrainingProgress {
  /** Pass as `onEpochEnd` to trainClassifier. */
  onEpochEnd(report: EpochProgress): void;
  stop(): void;
}

/**
 * Training progress on stderr: a cli-progress bar when the stream is a terminal; otherwise
 * (CI logs, pipes) one plain line every `every` epochs and at the last one, so logs stay short.
 *
 * @example
 * const progress = trainingProgress('intent');
 * await trainClassifier(data, { task: 'intent', onEpochEnd: progress.onEpochEnd });
 * progress.stop();
 */
export function trainingProgress(
  label: string,
  { stream = process.stderr, every = 5 }: { stream?: NodeJS.WriteStream; every?: number } = {},
): TrainingProgress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream,
      format: `${label} [{bar}] epoch {value}/{total} | loss {loss} | val acc {acc}`,
      hideCursor: true,
      clearOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    let started = false;
    let last = 0;
    return {
      onEpochEnd: (r) => {
        last = r.epoch;
        const payload = { loss: r.loss.toFixed(4), acc: r.validationAccuracy.toFixed(3) };
        if (!started) {
          bar.start(r.epochs, r.epoch, payload);
          started = true;
        } else bar.update(r.epoch, payload);
      },
      // Early stopping ends before the epoch limit: close the bar as complete at the last epoch run.
      stop: () => {
        if (!started) return;
        bar.setTotal(last);
        bar.stop();
      },
    };
  }
  return {
    onEpochEnd: (r) => {
      if (r.epoch === 1 || r.epoch % every === 0 || r.epoch === r.epochs) {
        stream.write(`${label}: epoch ${r.epoch}/${r.epochs} loss ${r.loss.toFixed(4)} val acc ${r.validationAccuracy.toFixed(3)}\n`);
      }
    },
    stop: () => {},
  };
}

package io.tracecast.training.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a search of {@code trials} trials, {@code parallelism} at a time, asynchronously: each of
 * N driver threads asks the sampler for a proposal (seeing every trial finished so far), runs
 * it, records it in the {@link TrialLog}, and asks again until the budget is spent. A pruned
 * trial's thread thus starts the next trial at once. Trials already in the log count toward the
 * budget and are not run again (resume). The first trials may be fixed ({@code enqueued}, e.g.
 * the default spec), as Optuna's {@code enqueue_trial}.
 */
public final class AsyncSearch {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncSearch.class);

  /** Runs one trial; a RuntimeException makes it a failed trial, an Error ends the search. */
  @FunctionalInterface
  public interface TrialRunner {
    /**
     * @param references the curves of the trials finished when this one starts (the pruner's
     *     reference)
     * @param bestObjective the best objective finished so far (NaN: none), e.g. to keep only a
     *     network that may win
     */
    Trial run(int number, Map<String, Object> params, List<double[]> references,
        double bestObjective);
  }

  private final SearchSpace space;
  private final Sampler sampler;
  private final TrialLog log;
  private final List<Map<String, Object>> enqueued;
  private final long seed;
  /** Numbers logged or handed out: a trial in flight when a run died gets its number again. */
  private final java.util.Set<Integer> taken = new java.util.HashSet<>();
  private int started;

  public AsyncSearch(SearchSpace space, Sampler sampler, TrialLog log,
      List<Map<String, Object>> enqueued, long seed) {
    this.space = space;
    this.sampler = sampler;
    this.log = log;
    this.enqueued = List.copyOf(enqueued);
    this.seed = seed;
  }

  /** Runs until the log holds {@code trials} trials; returns them all, by number. */
  public List<Trial> run(int trials, int parallelism, TrialRunner runner) {
    List<Trial> done = log.trials();
    done.forEach(t -> taken.add(t.number()));
    started = done.size();
    if (started > 0) {
      LOG.info("{}: resuming after {} logged trials", log.path(), started);
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "tune-" + space.kind().id());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < parallelism; i++) {
        workers.add(pool.submit(() -> work(trials, runner)));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("search interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("search failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return log.trials();
  }

  private record Next(int number, Map<String, Object> params, List<double[]> references,
      double best) {}

  private void work(int trials, TrialRunner runner) {
    while (true) {
      Next next = next(trials);
      if (next == null) {
        return;
      }
      long t0 = System.nanoTime();
      Trial t;
      try {
        t = runner.run(next.number(), next.params(), next.references(), next.best());
      } catch (RuntimeException e) {
        LOG.warn("trial {} failed: {}", next.number(), e.toString(), e);
        t = Trial.failed(next.number(), next.params(), (System.nanoTime() - t0) / 1e9, e);
      }
      log.append(t);
    }
  }

  /** The next proposal, or null when the budget is spent; one proposal at a time. */
  private synchronized Next next(int trials) {
    if (started >= trials) {
      return null;
    }
    started++;
    int number = 0;
    while (taken.contains(number)) {
      number++;
    }
    taken.add(number);
    List<Trial> finished = log.trials();
    Map<String, Object> params = number < enqueued.size() ? enqueued.get(number)
        : sampler.propose(space, finished, new Random(seed * 1_000_003L + number));
    List<double[]> refs = finished.stream().filter(Trial::scored).map(Trial::curve).toList();
    double best = finished.stream().filter(Trial::scored).mapToDouble(Trial::objective).min()
        .orElse(Double.NaN);
    return new Next(number, params, refs, best);
  }
}

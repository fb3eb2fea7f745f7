package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs calls at the same moment, for the tests of concurrency claims (no oversell, one charge per idempotency key):
 * each call on a thread of its own, held at a barrier until all are ready, then released together.
 */
public final class Race {

    /** How long a whole race may take, from starting its threads to the last result. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One racer's work; {@code index}, from 0 to count - 1, tells the racers apart. */
    @FunctionalInterface
    public interface Racer<T> {
        T run(int index) throws Exception;
    }

    private Race() {}

    /** Runs {@code count} racers at once and returns their results in racer order; a racer's failure fails the race. */
    public static <T> List<T> run(int count, Racer<T> racer) {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CyclicBarrier start = new CyclicBarrier(count);
            List<Future<T>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return racer.run(index);
                }));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<T> results = new ArrayList<>(count);
            for (Future<T> future : futures) {
                results.add(future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (TimeoutException e) {
            throw new AssertionError(count + " racers did not all finish within " + TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw failure(count, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + count + " racers ran", e);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Sends {@code count} requests at once and returns the responses in order. The requests are built before the
     * race, so that only their sending races; none may be answered with a server error.
     */
    public static List<Response> requests(int count, IntFunction<Api.Call> request) {
        List<Api.Call> calls = IntStream.range(0, count).mapToObj(request).toList();
        List<Response> responses = run(count, index -> calls.get(index).send());
        assertThat(responses).as("responses to racing requests").noneMatch(response -> response.status() >= 500);
        return responses;
    }

    private static AssertionError failure(int count, Throwable cause) {
        if (cause instanceof AssertionError assertion) {
            return assertion;
        }
        if (cause instanceof TimeoutException || cause instanceof BrokenBarrierException) {
            return new AssertionError(
                    count + " racers were not all ready to start within " + TIMEOUT.toSeconds() + " s", cause);
        }
        return new AssertionError("a racer failed: " + cause, cause);
    }
}

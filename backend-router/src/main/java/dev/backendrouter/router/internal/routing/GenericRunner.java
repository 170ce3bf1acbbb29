package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.NotFoundException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import dev.backendrouter.router.MemberCall;

/** The generic front door's attempts: the caller's function on the picked member. */
public final class GenericRunner implements AttemptRunner<MemberCall<?>, Object> {
    public static final GenericRunner INSTANCE = new GenericRunner();

    private GenericRunner() {
    }

    @Override
    public Object run(MemberCall<?> call, MemberRef member, long remainingNanos) throws Exception {
        return call.call(member.member());
    }

    @Override
    public Started<Object> start(MemberCall<?> call, MemberRef member, long remainingNanos, Executor executor) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        FutureTask<Object> task = new FutureTask<>(() -> call.call(member.member())) {
            @Override
            protected void done() {
                try {
                    result.complete(get());
                } catch (ExecutionException e) {
                    result.completeExceptionally(e.getCause());
                } catch (CancellationException | InterruptedException e) {
                    result.completeExceptionally(e);
                }
            }
        };
        executor.execute(task);
        return new Started<>(result, () -> task.cancel(true));
    }

    @Override
    public Outcome classify(MemberCall<?> call, Object result) {
        return Outcome.SUCCESS;
    }

    @Override
    public Outcome classify(MemberCall<?> call, Exception failure) {
        if (failure instanceof NotFoundException) {
            return Outcome.NOT_FOUND;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return Outcome.FINAL;
        }
        return Failures.neverReached(failure) ? Outcome.FAILED_UNSENT : Outcome.FAILED;
    }

    @Override
    public String describe(Object result) {
        return "returned";
    }

    @Override
    public dev.backendrouter.api.BackendError error(Object result) {
        return null;
    }

    @Override
    public boolean isCancelled(MemberCall<?> call) {
        return Thread.currentThread().isInterrupted();
    }

    @Override
    public long retryAfterNanos(Object result) {
        return 0;
    }

    @Override
    public Object retain(Object result) {
        return result;
    }

    @Override
    public void discard(Object result) {
        // a value of the caller's: nothing to release
    }
}

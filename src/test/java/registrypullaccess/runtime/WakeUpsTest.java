package registrypullaccess.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeUpsTest {

    @Test
    void wakesAWorkerThatSleepsWhileTasksWait() {
        var pool = new Pool(2, 1, 3, 0);

        assertTrue(SdkTuning.WakeUps.wakeUp(pool));
        assertEquals(1, pool.handed.size(), "one empty task handed over");
    }

    @Test
    void wakesAWorkerThatSleepsWhileSubmissionsWait() {
        var pool = new Pool(2, 0, 0, 1);

        assertTrue(SdkTuning.WakeUps.wakeUp(pool));
        assertEquals(1, pool.handed.size());
    }

    @Test
    void leavesThePoolAloneWhenNothingWaits() {
        var pool = new Pool(2, 0, 0, 0);

        assertFalse(SdkTuning.WakeUps.wakeUp(pool));
        assertTrue(pool.handed.isEmpty(), "nothing to wake a worker for");
    }

    @Test
    void leavesThePoolAloneWhenEveryWorkerIsBusy() {
        var pool = new Pool(2, 2, 5, 1);

        assertFalse(SdkTuning.WakeUps.wakeUp(pool));
        assertTrue(pool.handed.isEmpty(), "no worker asleep to wake");
    }

    /** A pool that reports what it is told and keeps what it is handed (it starts no thread). */
    private static final class Pool extends ForkJoinPool {
        private final int parallelism;
        private final int active;
        private final long queuedTasks;
        private final int queuedSubmissions;
        private final List<Runnable> handed = new ArrayList<>();

        Pool(int parallelism, int active, long queuedTasks, int queuedSubmissions) {
            super(parallelism);
            this.parallelism = parallelism;
            this.active = active;
            this.queuedTasks = queuedTasks;
            this.queuedSubmissions = queuedSubmissions;
        }

        @Override
        public int getParallelism() {
            return parallelism;
        }

        @Override
        public int getActiveThreadCount() {
            return active;
        }

        @Override
        public long getQueuedTaskCount() {
            return queuedTasks;
        }

        @Override
        public int getQueuedSubmissionCount() {
            return queuedSubmissions;
        }

        @Override
        public void execute(Runnable task) {
            handed.add(task);
        }
    }
}

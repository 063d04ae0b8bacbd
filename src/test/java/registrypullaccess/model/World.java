package registrypullaccess.model;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The model's cluster and Google project on a simulated clock (seconds). Controllers schedule what they will do
 * ({@link #schedule}); the engine's steps take time ({@link #advance}), and whatever falls due meanwhile happens in
 * order, each followed by the observers (the pull oracle and the foreign-objects oracle), which also see every step.
 */
final class World {

    /** Something a controller (or the clock) does at a time; {@code cause} names it in a window's report. */
    private record Event(long at, long order, String cause, Runnable action) {}

    /** Sees the world after every step and every event. */
    interface Observer {
        void observe(World world, String cause);
    }

    final ModelCluster cluster = new ModelCluster();
    final ModelGoogle google = new ModelGoogle();
    private final PriorityQueue<Event> events =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long now;
    private long order;
    private final List<Observer> observers = new ArrayList<>();

    long now() {
        return now;
    }

    /** Adds an observer: each sees every step and event, in the order they were added. */
    void observe(Observer observer) {
        observers.add(observer);
    }

    void schedule(long delaySeconds, String cause, Runnable action) {
        events.add(new Event(now + delaySeconds, ++order, cause, action));
    }

    /** Tells the observers what a step did, at the current time. */
    void stepped(String cause) {
        observers.forEach(observer -> observer.observe(this, cause));
    }

    /** Lets time pass, running what falls due. */
    void advance(long seconds) {
        runUntil(now + seconds, () -> false);
    }

    /**
     * Runs events in order until {@code done} holds after one or the time {@code until} is reached; returns whether
     * {@code done} held.
     */
    boolean runUntil(long until, BooleanSupplier done) {
        if (done.getAsBoolean()) {
            return true;
        }
        while (!events.isEmpty() && events.peek().at <= until) {
            var event = events.poll();
            now = Math.max(now, event.at);
            event.action.run();
            observers.forEach(observer -> observer.observe(this, event.cause));
            if (done.getAsBoolean()) {
                return true;
            }
        }
        now = Math.max(now, until);
        return false;
    }
}

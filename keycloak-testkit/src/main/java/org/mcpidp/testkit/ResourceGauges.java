package org.mcpidp.testkit;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.File;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What this JVM holds: heap after a full GC, platform threads, open file descriptors (Linux).
 *
 * @param heapAfterGc   heap in use right after a full collection forced by {@code System.gc()}, as that collection
 *                      recorded it ({@link #heapAfterFullGc}); the least of {@value #COLLECTIONS} such collections
 * @param threads       platform threads other than OkHttp's own background threads
 * @param okHttpThreads OkHttp's background threads ("OkHttp TaskRunner", the connection pool's closer): started when
 *                      a task is queued and ended after 60 s idle, so their number at one instant says nothing about
 *                      a leak; they are counted apart and bounded on their own
 */
public record ResourceGauges(long heapAfterGc, int threads, int okHttpThreads, int fileDescriptors) {

    private static final Pattern JDK_HTTP_CLIENT_WORKER = Pattern.compile("HttpClient-\\d+-Worker-\\d+");

    /** Forced full collections per measurement; the second and third also free what the first left to cleaners. */
    private static final int COLLECTIONS = 3;

    public static ResourceGauges measure() {
        long heap = heapAfterFullGc(COLLECTIONS);
        int okHttp = (int) threadNames().stream().filter(name -> name.startsWith("OkHttp")).count();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount() - okHttp;
        String[] fds = new File("/proc/self/fd").list();
        return new ResourceGauges(heap, threads, okHttp, fds == null ? -1 : fds.length);
    }

    /**
     * Heap in use right after a full collection: {@code collections} times {@code System.gc()}, 100 ms apart, and
     * the least heap any of them left, read from the collection's own record (the GC notification's "after" usage
     * of the heap pools). Reading {@code MemoryMXBean} heap usage after the collection instead also counts what
     * running threads allocated since (under load: several 1 MB G1 regions of new objects, a few MB of noise).
     * Falls back to that reading only when the JVM sends no notification for a {@code System.gc()} collection.
     */
    public static long heapAfterFullGc(int collections) {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        BlockingQueue<Long> afterGc = new LinkedBlockingQueue<>();
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if ("System.gc()".equals(info.getGcCause())) {
                afterGc.add(info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> heapPools.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed())
                        .sum());
            }
        };
        List<NotificationEmitter> emitters = new ArrayList<>();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        long least = Long.MAX_VALUE;
        try {
            for (int i = 0; i < collections; i++) {
                System.gc();
                Long heap = afterGc.poll(5, TimeUnit.SECONDS);
                Thread.sleep(100); // cleaners and reference handlers run before the next collection
                least = Math.min(least, heap != null ? heap
                        : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (NotificationEmitter emitter : emitters) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (ListenerNotFoundException e) {
                    // not registered: nothing to remove
                }
            }
        }
        return least == Long.MAX_VALUE ? ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() : least;
    }

    /** Names of this JVM's live threads, sorted: what to compare when the thread count moved. */
    public static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
    }

    /** This JVM's live threads at this instant: what {@link #threadsStartedSince} compares against. */
    public static Set<Thread> liveThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * Names of the threads alive now that were not alive in {@code before}, leaving out the JDK's and OkHttp's pooled
     * background threads: they start when work is queued and end after 60 s idle ({@code ForkJoinPool.commonPool}
     * workers, OkHttp's task runner, the workers of a JDK {@code HttpClient}'s default executor, such as the one that
     * waits for a restarted Keycloak to be ready), or wait on a child process this JVM started
     * ({@code process reaper}), so their presence at one instant says nothing about a leak. What remains is a thread
     * something started and kept.
     */
    public static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> !name.startsWith("ForkJoinPool.commonPool-worker") && !name.startsWith("OkHttp")
                        && !JDK_HTTP_CLIENT_WORKER.matcher(name).matches() && !name.equals("process reaper"))
                .sorted()
                .toList();
    }

    public String describe() {
        return "heap=" + heapAfterGc / 1024 + "KB threads=" + threads + " okhttp=" + okHttpThreads
                + " fds=" + fileDescriptors;
    }
}

package org.mcpidp.mcpserver;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What this JVM holds: heap after a full GC, platform threads, open file descriptors (Linux).
 *
 * @param threads       platform threads other than OkHttp's own background threads
 * @param okHttpThreads OkHttp's background threads ("OkHttp TaskRunner", the connection pool's closer): started when
 *                      a task is queued and ended after 60 s idle, so their number at one instant says nothing about
 *                      a leak; they are counted apart and bounded on their own
 */
public record ResourceGauges(long heapAfterGc, int threads, int okHttpThreads, int fileDescriptors) {

    public static ResourceGauges measure() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int okHttp = (int) threadNames().stream().filter(name -> name.startsWith("OkHttp")).count();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount() - okHttp;
        String[] fds = new File("/proc/self/fd").list();
        return new ResourceGauges(heap, threads, okHttp, fds == null ? -1 : fds.length);
    }

    /** Names of this JVM's live threads, sorted: what to compare when the thread count moved. */
    public static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
    }

    public String describe() {
        return "heap=" + heapAfterGc / 1024 + "KB threads=" + threads + " okhttp=" + okHttpThreads
                + " fds=" + fileDescriptors;
    }
}

package org.mcpidp.mcpserver;

import java.io.File;
import java.lang.management.ManagementFactory;

/** What this JVM holds: heap after a full GC, platform threads, open file descriptors (Linux). */
public record ResourceGauges(long heapAfterGc, int threads, int fileDescriptors) {

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
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        String[] fds = new File("/proc/self/fd").list();
        return new ResourceGauges(heap, threads, fds == null ? -1 : fds.length);
    }

    public String describe() {
        return "heap=" + heapAfterGc / 1024 + "KB threads=" + threads + " fds=" + fileDescriptors;
    }
}

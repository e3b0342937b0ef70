package io.vmconfig.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazySecureRandomTest {
    /** SHA1PRNG seeded before its first use is deterministic: two of them give the same stream. */
    private static SecureRandom seeded() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(42L);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noSecureRandomIsMadeBeforeTheFirstDraw() {
        AtomicInteger made = new AtomicInteger();
        LazySecureRandom lazy = new LazySecureRandom(() -> {
            made.incrementAndGet();
            return seeded();
        });
        assertEquals(0, made.get());
        lazy.nextLong();
        lazy.nextBytes(new byte[8]);
        lazy.nextInt(10);
        assertEquals(1, made.get());
    }

    @Test
    void drawsComeFromTheSecureRandomItMade() {
        LazySecureRandom lazy = new LazySecureRandom(LazySecureRandomTest::seeded);
        SecureRandom same = seeded();
        byte[] a = new byte[33];
        byte[] b = new byte[33];
        lazy.nextBytes(a);
        same.nextBytes(b);
        assertArrayEquals(b, a, "nextBytes is the SecureRandom's own");
        assertEquals(same.nextLong(), lazy.nextLong());
    }

    @Test
    void threadsRacingToTheFirstDrawShareOneSecureRandom() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        LazySecureRandom lazy = new LazySecureRandom(() -> {
            made.incrementAndGet();
            return new SecureRandom();
        });
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lazy.nextLong();
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, made.get());
    }
}

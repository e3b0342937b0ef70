package io.vmconfig.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SecureRandomInBackgroundTest {
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
    void theSecureRandomIsMadeOnAnotherThreadWithoutWaitingForADraw() throws InterruptedException {
        AtomicReference<Thread> maker = new AtomicReference<>();
        CountDownLatch made = new CountDownLatch(1);
        new SecureRandomInBackground(() -> {
            maker.set(Thread.currentThread());
            made.countDown();
            return seeded();
        });
        assertTrue(made.await(10, TimeUnit.SECONDS), "made although nothing was drawn");
        assertNotEquals(Thread.currentThread(), maker.get());
        assertTrue(maker.get().isDaemon(), "the maker never keeps the process alive");
    }

    @Test
    void drawsComeFromTheOneSecureRandomItMade() {
        AtomicInteger made = new AtomicInteger();
        SecureRandomInBackground background = new SecureRandomInBackground(() -> {
            made.incrementAndGet();
            return seeded();
        });
        SecureRandom same = seeded();
        byte[] a = new byte[33];
        byte[] b = new byte[33];
        background.nextBytes(a);
        same.nextBytes(b);
        assertArrayEquals(b, a, "nextBytes is the SecureRandom's own");
        assertEquals(same.nextLong(), background.nextLong());
        background.nextInt(10);
        assertEquals(1, made.get());
    }

    @Test
    void drawsRacingTheMakingWaitForItAndShareIt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        SecureRandomInBackground background = new SecureRandomInBackground(() -> {
            made.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new SecureRandom();
        });
        List<Thread> threads = new ArrayList<>();
        AtomicInteger drawn = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                background.nextLong();
                drawn.incrementAndGet();
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(50);
        assertEquals(0, drawn.get(), "no draw before the SecureRandom exists");
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(8, drawn.get());
        assertEquals(1, made.get());
    }

    @Test
    void aFailedMakingSurfacesOnEveryDrawWithItsCause() {
        IllegalStateException cause = new IllegalStateException("no entropy source");
        SecureRandomInBackground background = new SecureRandomInBackground(() -> {
            throw cause;
        });
        IllegalStateException first = assertThrows(IllegalStateException.class, background::nextLong);
        assertSame(cause, first.getCause());
        assertThrows(IllegalStateException.class, () -> background.nextBytes(new byte[4]));
    }
}

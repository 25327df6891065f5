package switchboard.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectionCountTest {

  /**
   * Admits and releases from one address racing on many threads: the per-address count must end where it
   * started. (Incrementing a counter object outside the map's atomic step let a release remove the entry in
   * between and lose the increment, so the count drifted low and the per-address cap leaked.)
   */
  @Test
  void concurrentAdmitsAndReleasesNeverLoseACount() throws Exception {
    ConnectionCount count = new ConnectionCount();
    java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
    int threads = 8;
    int rounds = 200_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < rounds; i++) {
          if (count.admit("10.0.0.1", Integer.MAX_VALUE, Integer.MAX_VALUE) == ConnectionCount.Admission.ADMITTED) {
            if (count.fromAddress("10.0.0.1") < 1) {
              lost.incrementAndGet(); // this thread holds a place that the count does not show
            }
            count.release("10.0.0.1");
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertEquals(0, lost.get(), "places held but not counted");
    assertEquals(0, count.fromAddress("10.0.0.1"));
    assertEquals(0, count.current());
  }

  @Test
  void eachLimitIsEnforcedAndAPlaceComesBackOnRelease() {
    ConnectionCount count = new ConnectionCount();
    assertEquals(ConnectionCount.Admission.ADMITTED, count.admit("a", 3, 2));
    assertEquals(ConnectionCount.Admission.ADMITTED, count.admit("a", 3, 2));
    assertEquals(ConnectionCount.Admission.ADDRESS_FULL, count.admit("a", 3, 2));
    assertEquals(ConnectionCount.Admission.ADMITTED, count.admit("b", 3, 2));
    assertEquals(ConnectionCount.Admission.SERVER_FULL, count.admit("c", 3, 2));
    count.release("a");
    assertEquals(ConnectionCount.Admission.ADMITTED, count.admit("c", 3, 2));
    assertEquals(3, count.current());
    assertEquals(1, count.fromAddress("a"));
  }
}

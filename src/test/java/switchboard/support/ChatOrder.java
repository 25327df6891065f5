package switchboard.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chat's delivery promise, checked end to end: every line once to every client, in one order. */
public final class ChatOrder {

  private ChatOrder() {
  }

  /**
   * Connects {@code clientCount} chat clients ({@code /user<i>}), lets each send {@code linesEach} lines
   * interleaved with the others, and checks that every client got every line once, each sender's lines in
   * their order, and all clients the same total order.
   */
  public static void check(Clients clients, int clientCount, int linesEach) throws Exception {
    List<WsClient> users = new ArrayList<>();
    for (int i = 0; i < clientCount; i++) {
      users.add(clients.connect("/user" + i));
    }
    for (int line = 0; line < linesEach; line++) {
      for (WsClient user : users) {
        user.send("line " + line);
      }
    }
    int total = clientCount * linesEach;
    List<String> first = null;
    for (WsClient c : users) {
      List<String> got = c.next(total);
      assertEquals(total, new HashSet<>(got).size(), "no duplicates");
      for (int i = 0; i < clientCount; i++) {
        String sender = "user" + i + ": ";
        List<String> fromSender = got.stream().filter(s -> s.startsWith(sender)).toList();
        List<String> expected = new ArrayList<>();
        for (int line = 0; line < linesEach; line++) {
          expected.add(sender + "line " + line);
        }
        assertEquals(expected, fromSender, "each sender's lines arrive complete and in order");
      }
      if (first == null) {
        first = got;
      } else {
        assertEquals(first, got, "all clients see one order");
      }
    }
    users.get(0).send("end");
    for (WsClient c : users) {
      c.expect("user0: end"); // nothing extra arrived before the sentinel
    }
  }
}

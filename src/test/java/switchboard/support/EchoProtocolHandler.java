package switchboard.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import switchboard.protocol.ProtocolHandler;

/**
 * A {@code protocol.handler} for the tests: rpc {@code echo} answers its data, {@code later} answers it
 * from a timer, {@code teapot} fails with the application error 418, {@code broken} fails without one;
 * {@code send} is answered with a message push naming the sender.
 */
public final class EchoProtocolHandler implements ProtocolHandler {

  @Override
  public Future<Object> rpc(Caller caller, String method, Object data) {
    return switch (method) {
      case "echo" -> Future.succeededFuture(data);
      case "later" -> {
        Promise<Object> answer = Promise.promise();
        Vertx.currentContext().owner().setTimer(50, t -> answer.complete(data));
        yield answer.future();
      }
      case "teapot" -> Future.failedFuture(new RpcError(418, "I'm a teapot"));
      case "broken" -> Future.failedFuture(new IllegalStateException("internal detail the client must not see"));
      default -> null;
    };
  }

  @Override
  public void send(Caller caller, Object data) {
    caller.message(new JsonObject().put("got", data).put("from", caller.user()));
  }
}

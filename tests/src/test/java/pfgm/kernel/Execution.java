package pfgm.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** One execute_request as the client saw it: the shell reply and the cell's iopub messages in order. */
record Execution(String code, JsonObject answer) {
    JsonObject reply() {
        return answer.getAsJsonObject("reply");
    }

    String status() {
        return reply().get("status").getAsString();
    }

    /** Seconds from the request to the moment the reply was read. */
    double replyTime() {
        return answer.get("reply_t").getAsDouble();
    }

    /** The iopub messages of one type (stream, display_data, execute_result, error, ...), each with its "t". */
    List<JsonObject> outputs(String type) {
        return StreamSupport.stream(answer.getAsJsonArray("outputs").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .filter(output -> output.get("type").getAsString().equals(type))
                .toList();
    }

    /** The execute_result's data bundle (MIME type to content), or null when the cell had no result. */
    JsonObject result() {
        List<JsonObject> results = outputs("execute_result");
        return results.isEmpty() ? null : results.get(0).getAsJsonObject("content").getAsJsonObject("data");
    }

    String resultText() {
        JsonObject result = result();
        return result == null ? null : result.get("text/plain").getAsString();
    }

    /** The text of one stream ("stdout" or "stderr"), all its messages joined. */
    String stream(String name) {
        return outputs("stream").stream()
                .map(output -> output.getAsJsonObject("content"))
                .filter(content -> content.get("name").getAsString().equals(name))
                .map(content -> content.get("text").getAsString())
                .collect(Collectors.joining());
    }

    JsonObject error() {
        return outputs("error").get(0).getAsJsonObject("content");
    }

    List<String> traceback() {
        return StreamSupport.stream(error().getAsJsonArray("traceback").spliterator(), false)
                .map(JsonElement::getAsString)
                .toList();
    }

    @Override
    public String toString() {
        return code + " -> " + answer;
    }
}

package pfgm.kernel;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.stream.StreamSupport;

/** Reading the driver's JSON answers. */
final class Json {
    private Json() {}

    static List<String> strings(JsonElement array) {
        return StreamSupport.stream(array.getAsJsonArray().spliterator(), false).map(JsonElement::getAsString).toList();
    }
}

package hgym.javafrontend;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// hgym's Java front end: answers one JSON request per stdin line with one JSON line on stdout, by id.
//   {"id":1,"op":"version"}                                  -> {"id":1,"version":"javac 17.0.15"}
//   {"id":2,"op":"check","path":"A.java","text":"..."}       -> {"id":2,"ok":true} | {"id":2,"ok":false,"line":3,"message":"..."}
//   {"id":3,"op":"compare","path":..,"before":..,"after":..} -> {"id":3,"equal":true} | {"equal":false,"line":..,"reason":..}
//                                                              | {"error":"start-does-not-parse"|"parse-error","line":..,"message":..}
//   {"id":4,"op":"parseOnly","paths":["/abs/A.java",...]}     -> {"id":4,"files":n,"bytes":n,"seconds":x,"errors":n}
//   {"id":5,"op":"docComments","path":..,"text":..}          -> {"id":5,"declarations":[{"kind","name","line","doc"},...]}
// An internal failure answers {"id":n,"fatal":"..."}. Anything javac itself prints goes to stderr.
public final class Main {
    public static void main(String[] args) throws Exception {
        Writer out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        // javac's parser recurses per nesting level: a deep stack so pathological nesting is an error, not a crash.
        Throwable[] failure = {null};
        Thread worker = new Thread(null, () -> {
            try {
                serve(in, out);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "hgym-java-frontend", 512L << 20);
        worker.start();
        worker.join();
        if (failure[0] != null) {
            failure[0].printStackTrace();
            System.exit(1);
        }
    }

    private static void serve(BufferedReader in, Writer out) throws Exception {
        Frontend frontend = new Frontend();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Object id = null;
            Map<String, Object> answer;
            try {
                Object parsed = Json.parse(line);
                if (!(parsed instanceof Map)) throw new IllegalArgumentException("a request must be a JSON object");
                @SuppressWarnings("unchecked")
                Map<String, Object> req = (Map<String, Object>) parsed;
                id = req.get("id");
                answer = handle(frontend, req);
            } catch (StackOverflowError e) {
                answer = new LinkedHashMap<>();
                answer.put("fatal", "javac ran out of stack on this text");
            } catch (Exception e) {
                answer = new LinkedHashMap<>();
                answer.put("fatal", e.toString());
            }
            Map<String, Object> full = new LinkedHashMap<>();
            full.put("id", id);
            full.putAll(answer);
            StringBuilder b = new StringBuilder();
            Json.write(b, full);
            b.append('\n');
            out.write(b.toString());
            out.flush();
        }
    }

    private static String str(Map<String, Object> req, String key) {
        Object v = req.get(key);
        if (!(v instanceof String)) throw new IllegalArgumentException("request field '" + key + "' must be a string");
        return (String) v;
    }

    private static Map<String, Object> handle(Frontend frontend, Map<String, Object> req) throws Exception {
        String op = str(req, "op");
        Map<String, Object> out = new LinkedHashMap<>();
        switch (op) {
            case "version":
                out.put("version", frontend.version());
                return out;
            case "check": {
                Frontend.Error e = frontend.check(str(req, "path"), str(req, "text"));
                out.put("ok", e == null);
                if (e != null) {
                    out.put("line", e.line);
                    out.put("message", e.message);
                }
                return out;
            }
            case "compare":
                return frontend.compare(str(req, "path"), str(req, "before"), str(req, "after"));
            case "docComments":
                out.put("declarations", frontend.docComments(str(req, "path"), str(req, "text")));
                return out;
            case "parseOnly": {
                Object v = req.get("paths");
                if (!(v instanceof List)) throw new IllegalArgumentException("request field 'paths' must be a list");
                List<String> paths = new ArrayList<>();
                for (Object p : (List<?>) v) paths.add(String.valueOf(p));
                return frontend.parseOnly(paths);
            }
            default:
                throw new IllegalArgumentException("unknown op '" + op + "'");
        }
    }
}

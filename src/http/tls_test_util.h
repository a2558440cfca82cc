// Test support (header-only, for *_test.cc of http/, api/ and app/): real TLS
// peers for the outgoing client. Certificates are made by the `openssl` CLI in
// a temporary folder; the HTTPS receiver is Python's http.server behind its ssl
// module, started as a child process. It verifies webhook signatures itself
// (Standard Webhooks, with Python's hmac) — an implementation independent of
// postfach's.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

namespace amtsweg::http::testing {

inline std::string ReadFileText(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A CA, a server certificate it signed (localhost, 127.0.0.1, ::1), a
// certificate it signed for another name only, and a self-signed certificate
// nobody trusts.
class TestCertificates {
 public:
  // Empty `error` on success; else what failed (openssl missing, ...).
  static std::unique_ptr<TestCertificates> Create(std::string* error) {
    auto c = std::unique_ptr<TestCertificates>(new TestCertificates());
    char tmpl[] = "/tmp/aw-tls-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      *error = "mkdtemp failed";
      return nullptr;
    }
    c->dir_ = tmpl;
    std::string d = c->dir_.string();
    std::ofstream(c->dir_ / "server.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                                             "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    std::ofstream(c->dir_ / "other.ext") << "subjectAltName=DNS:other.example\nbasicConstraints=CA:FALSE\n"
                                            "extendedKeyUsage=serverAuth\n";
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    std::string script =
        "set -e; cd '" + d + "'\n" +
        "openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 2 -subj '/CN=Amtsweg Test CA'\n" +
        "openssl req" + ec + "-keyout server.key -out server.csr -subj /CN=localhost\n" +
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
        "-extfile server.ext\n" +
        "openssl req" + ec + "-keyout other.key -out other.csr -subj /CN=other.example\n" +
        "openssl x509 -req -in other.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out other.pem -days 2 "
        "-extfile other.ext\n" +
        "openssl req -x509" + ec + "-keyout selfsigned.key -out selfsigned.pem -days 2 -subj /CN=localhost "
        "-addext subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    std::ofstream(c->dir_ / "make.sh") << script;
    std::string cmd = "sh '" + d + "/make.sh' > '" + d + "/make.log' 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      *error = "openssl failed: " + ReadFileText(c->dir_ / "make.log");
      return nullptr;
    }
    return c;
  }
  ~TestCertificates() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string ca_file() const { return Path("ca.pem"); }

 private:
  TestCertificates() = default;
  std::filesystem::path dir_;
};

// An HTTPS server on 127.0.0.1 (python3 http.server + ssl):
//   GET  /json  -> 200 {"ok": true}
//   POST /echo  -> 200 {"method", "path", "body", "contentType"}
//   POST /hook  -> verifies webhook-id/-timestamp/-signature with the secret
//                  read from `secret_file` at request time; 204 and a line
//                  "valid <id> <type>" in the log, else 401 and "invalid <id>"
class HttpsReceiver {
 public:
  // The receiver with `certs`' certificate `name` ("server": valid for
  // localhost), its files in the certificates' directory.
  static std::unique_ptr<HttpsReceiver> Start(const TestCertificates& certs, const std::string& name,
                                              std::string* error) {
    return Start(certs.Path(name + ".pem"), certs.Path(name + ".key"), certs.Path(""), error);
  }
  static std::unique_ptr<HttpsReceiver> Start(const std::string& cert, const std::string& key,
                                              const std::string& dir, std::string* error) {
    auto r = std::unique_ptr<HttpsReceiver>(new HttpsReceiver());
    r->dir_ = dir;
    r->log_ = dir + "/receiver.log";
    r->secret_file_ = dir + "/secret.txt";
    std::ofstream(r->secret_file_) << "";
    std::ofstream(r->log_) << "";
    std::string py = dir + "/receiver.py";
    std::ofstream(py) << R"PY(
import base64, hashlib, hmac, http.server, json, ssl, sys
cert, key, secret_file, log_file = sys.argv[1:5]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def answer(self, status, obj=None):
        body = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        if obj is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/json":
            return self.answer(200, {"ok": True})
        self.answer(404, {"error": "not found"})
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/echo":
            return self.answer(200, {"method": "POST", "path": self.path, "body": body.decode(),
                                     "contentType": self.headers.get("Content-Type", "")})
        if self.path == "/hook":
            secret = open(secret_file).read().strip()
            msg_id = self.headers.get("webhook-id", "")
            ts = self.headers.get("webhook-timestamp", "")
            key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else b""
            mac = hmac.new(key, msg_id.encode() + b"." + ts.encode() + b"." + body, hashlib.sha256).digest()
            expected = "v1," + base64.b64encode(mac).decode()
            sent = self.headers.get("webhook-signature", "").split(" ")
            ok = bool(key) and any(hmac.compare_digest(s, expected) for s in sent)
            kind = json.loads(body).get("type", "") if ok else ""
            with open(log_file, "a") as f:
                f.write(("valid %s %s\n" % (msg_id, kind)) if ok else ("invalid %s\n" % msg_id))
            return self.answer(204 if ok else 401)
        self.answer(404, {"error": "not found"})

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
)PY";
    int out[2];
    if (pipe(out) != 0) {
      *error = "pipe failed";
      return nullptr;
    }
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      // Debian's python3 (as mail_test's SMTP sink), else whatever python3 is on the PATH.
      execl("/usr/bin/python3", "python3", py.c_str(), cert.c_str(), key.c_str(), r->secret_file_.c_str(),
            r->log_.c_str(), static_cast<char*>(nullptr));
      execlp("python3", "python3", py.c_str(), cert.c_str(), key.c_str(), r->secret_file_.c_str(), r->log_.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    r->pid_ = pid;
    std::string line;
    char ch = 0;
    while (read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(out[0]);
    r->port_ = std::atoi(line.c_str());
    if (r->port_ <= 0) {
      *error = "the python3 HTTPS receiver did not start (python3 missing?)";
      return nullptr;
    }
    return r;
  }
  ~HttpsReceiver() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  void SetSecret(const std::string& secret) const { std::ofstream(secret_file_) << secret; }
  std::string Log() const { return ReadFileText(log_); }

 private:
  HttpsReceiver() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_, log_, secret_file_;
};

}  // namespace amtsweg::http::testing

// Answers not yet acknowledged by the server, kept in the browser's storage
// so that a dropped connection or a reload loses nothing. Each carries an id
// made here, so a resend is stored once on the server.

export function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class Outbox {
  constructor(key) {
    this.key = key;
  }

  items() {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? "[]");
    } catch {
      return [];
    }
  }

  save(items) {
    localStorage.setItem(this.key, JSON.stringify(items));
  }

  add(payload) {
    const item = { client_id: newId(), ...payload };
    this.save([...this.items(), item]);
    return item;
  }

  remove(clientId) {
    this.save(this.items().filter((item) => item.client_id !== clientId));
  }
}

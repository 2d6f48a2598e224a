/* SPDX-License-Identifier: MIT */
/* The console protocol between client cells and the console cell (docs/console.md): shared
 * by the runtime's cell_write()/cell_read_input() and by cells/console. */
#ifndef CELL_CONSOLE_H
#define CELL_CONSOLE_H

/* A cell's console channel is its channel whose peer cell has this name. */
#define CONSOLE_CELL_NAME "console"

/* Output records (client -> console, ring of the client's end) carry any bytes, not
 * necessarily whole lines, at most this many; a longer record breaks the channel. */
#define CONSOLE_OUTPUT_RECORD_MAX 4096u

/* Input records (console -> client) carry the bytes typed for the client, at most this
 * many; a longer record is a protocol error the client treats as a broken input ring. */
#define CONSOLE_INPUT_RECORD_MAX 64u

/* Typed on the UART: Ctrl-A 1..9 selects the client that gets input, Ctrl-A Ctrl-A sends
 * a literal Ctrl-A, Ctrl-A ? lists the clients. */
#define CONSOLE_ESCAPE 0x01u

#endif

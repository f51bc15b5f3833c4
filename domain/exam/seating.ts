// Seats for a 1+X exam: candidates in 学号 order fill the rooms one after another, each
// room taking at least 30 (每考场人数不低于30人, seed 004 附件2 二.2) — more when there are
// fewer rooms than that allows — and the last room the remainder (fewer than 30 counts as
// one room). The same seat holds for every session of the plan.
import { compareStudentNo } from '../ordering';
import { CANDIDATES_PER_ROOM } from './plan-rules';

export interface Seat<C> {
  candidate: C;
  /** 1-based */
  room: number;
  roomName: string;
  /** 1-based within the room */
  seat: number;
  /** 准考证号: plan, room and seat */
  ticketNo: string;
}

export interface Seating<C> {
  seats: Array<Seat<C>>;
  /** rooms used, with their candidates in seat order */
  rooms: Array<{ room: number; roomName: string; seats: Array<Seat<C>> }>;
  perRoom: number;
  /** rooms named on the plan that nobody was seated in */
  unused: number;
}

export function roomName(place: string, room: number, names?: readonly string[]): string {
  return names?.[room - 1]?.trim() || `${place ? `${place} ` : ''}第${room}考场`;
}

/**
 * Seats candidates (sorted here by 学号) into at most `rooms` rooms. With n candidates and
 * R rooms each room takes max(30, ⌈n / R⌉) until the candidates run out.
 */
export function assignSeats<C extends { studentNo: string }>(
  candidates: readonly C[],
  opts: { planId: number; rooms: number; place: string; roomNames?: readonly string[]; minPerRoom?: number },
): Seating<C> {
  const sorted = [...candidates].sort((a, b) => compareStudentNo(a.studentNo, b.studentNo));
  const available = Math.max(1, Math.floor(opts.rooms));
  const perRoom = Math.max(opts.minPerRoom ?? CANDIDATES_PER_ROOM, Math.ceil(sorted.length / available));
  const seats: Array<Seat<C>> = sorted.map((candidate, i) => {
    const room = Math.floor(i / perRoom) + 1;
    const seat = (i % perRoom) + 1;
    return {
      candidate,
      room,
      roomName: roomName(opts.place, room, opts.roomNames),
      seat,
      ticketNo: `${String(opts.planId).padStart(4, '0')}${String(room).padStart(2, '0')}${String(seat).padStart(3, '0')}`,
    };
  });
  const rooms: Seating<C>['rooms'] = [];
  for (const s of seats) {
    const last = rooms.at(-1);
    if (last && last.room === s.room) last.seats.push(s);
    else rooms.push({ room: s.room, roomName: s.roomName, seats: [s] });
  }
  return { seats, rooms, perRoom, unused: available - rooms.length };
}

/** 410105200205122753 → 410105********2753: enough to recognise, not to copy. */
export function maskIdNumber(id: string): string {
  return id.length <= 10 ? id : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

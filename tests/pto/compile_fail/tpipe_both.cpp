// Must not compile: the simulator's TPipe carries one direction, cube -> vector or vector -> cube.
#include <pto/pto-inst.hpp>
using Pipe = pto::TPipe<0, pto::Direction::DIR_BOTH, 4096, 2>;
void make(__gm__ void* fifo) { Pipe pipe(fifo, 0, 0); }

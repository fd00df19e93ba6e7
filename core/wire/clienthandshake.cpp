#include "clienthandshake.h"

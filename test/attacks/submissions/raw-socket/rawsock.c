/* Raw-socket probe of the raw-socket attack (compiled by the suite, shipped inside the submission):
 * tries AF_INET/SOCK_RAW (ICMP echo to argv[1]) and AF_PACKET, printing the outcome of each. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (s < 0) {
    printf("raw:%s ", strerror(errno));
  } else {
    struct icmphdr h = {0};
    h.type = ICMP_ECHO;
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    inet_pton(AF_INET, argc > 1 ? argv[1] : "127.0.0.1", &to.sin_addr);
    ssize_t n = sendto(s, &h, sizeof h, 0, (struct sockaddr *)&to, sizeof to);
    printf("raw:opened sendto:%s ", n < 0 ? strerror(errno) : "sent");
    close(s);
  }
  int p = socket(AF_PACKET, SOCK_RAW, htons(0x0003));
  printf("packet:%s\n", p < 0 ? strerror(errno) : "opened");
  return 0;
}
